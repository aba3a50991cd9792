using System.Globalization;
using StackExchange.Redis;

namespace Quoncept.Sidecar.Components;

/// <summary>
/// The connection fields Dapr's Redis components share (components-contrib common/component/redis settings:
/// <c>redisHost</c>, <c>redisPort</c>, <c>redisUsername</c>, <c>redisPassword</c>, <c>redisDB</c>, <c>enableTLS</c>,
/// <c>insecureSkipTLSVerify</c>, <c>dialTimeout</c>, <c>readTimeout</c>, <c>writeTimeout</c>,
/// <c>redisMinRetryInterval</c>, <c>redisMaxRetryInterval</c>), turned into one StackExchange.Redis multiplexer.
/// The first connection must succeed (a wrong host or password stops the component at start, naming the field);
/// after that the multiplexer reconnects by itself with exponential back-off, and while it is disconnected every
/// command fails at once (<see cref="BacklogPolicy.FailFast"/>) instead of queueing behind the outage.
/// </summary>
internal static class RedisConnector
{
    public static readonly string[] Fields =
    [
        "redisHost", "redisPort", "redisUsername", "redisPassword", "redisDB", "enableTLS", "insecureSkipTLSVerify",
        "dialTimeout", "readTimeout", "writeTimeout", "redisMinRetryInterval", "redisMaxRetryInterval", "redisType",
    ];

    private const string Multiplexed = "StackExchange.Redis multiplexes every command over one connection, so there is no pool to size";

    public static readonly IReadOnlyDictionary<string, string> RefusedFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["failover"] = "Redis Sentinel is not supported; point redisHost at the primary",
        ["sentinelMasterName"] = "Redis Sentinel is not supported; point redisHost at the primary",
        ["sentinelUsername"] = "Redis Sentinel is not supported",
        ["sentinelPassword"] = "Redis Sentinel is not supported",
        ["clientCert"] = "TLS client certificates are not supported; use redisUsername/redisPassword",
        ["clientKey"] = "TLS client certificates are not supported; use redisUsername/redisPassword",
        ["useEntraID"] = "Microsoft Entra ID authentication is not supported",
        ["useAzureAD"] = "Microsoft Entra ID authentication is not supported",
        ["useOIDC"] = "OIDC authentication is not supported",
        ["oidcTokenEndpoint"] = "OIDC authentication is not supported",
        ["oidcClientID"] = "OIDC authentication is not supported",
        ["oidcClientAssertionCert"] = "OIDC authentication is not supported",
        ["oidcClientAssertionKey"] = "OIDC authentication is not supported",
        ["oidcResource"] = "OIDC authentication is not supported",
        ["oidcAudience"] = "OIDC authentication is not supported",
        ["oidcKid"] = "OIDC authentication is not supported",
        ["oidcScopes"] = "OIDC authentication is not supported",
        ["oidcCACert"] = "OIDC authentication is not supported",
        ["redisMaxRetries"] = "commands are not retried: a command sent while Redis is down fails at once and the caller decides",
        ["poolSize"] = Multiplexed,
        ["minIdleConns"] = Multiplexed,
        ["maxConnAge"] = Multiplexed,
        ["poolTimeout"] = Multiplexed,
        ["idleTimeout"] = Multiplexed,
        ["idleCheckFrequency"] = Multiplexed,
    };

    /// <summary>Connects, or throws a <see cref="ComponentLoadException"/> naming the field to fix.</summary>
    public static ConnectionMultiplexer Connect(ComponentMetadata metadata, ILogger logger)
    {
        var options = Options(metadata, out var host);
        try
        {
            var connection = ConnectionMultiplexer.Connect(options);
            connection.ConnectionFailed += (_, e) =>
                logger.LogWarning("component {Name}: lost Redis at {Host} ({Failure}); reconnecting", metadata.Name, host, e.FailureType);
            connection.ConnectionRestored += (_, e) =>
                logger.LogInformation("component {Name}: Redis at {Host} reconnected", metadata.Name, host);
            return connection;
        }
        catch (RedisConnectionException error)
        {
            var authentication = error.FailureType == ConnectionFailureType.AuthenticationFailure
                || error.Message.Contains("WRONGPASS", StringComparison.Ordinal) || error.Message.Contains("NOAUTH", StringComparison.Ordinal);
            throw authentication
                ? metadata.Error("redisPassword",
                    $"(with redisUsername '{metadata.Text("redisUsername") ?? "default"}') was refused by Redis at {host}: {FirstLine(error.Message)}")
                : metadata.Error("redisHost", $"'{host}': cannot connect to Redis: {FirstLine(error.Message)}");
        }
    }

    internal static ConfigurationOptions Options(ComponentMetadata metadata, out string host)
    {
        var redisType = metadata.Choice("redisType", "node", "node", "cluster");
        if (redisType == "cluster")
        {
            throw metadata.Error("redisType", "'cluster' is not supported: state transactions run as one Lua script, which needs every key on one node");
        }
        host = metadata.Required("redisHost", "host:port, such as 127.0.0.1:6379");
        if (host.Contains(',', StringComparison.Ordinal))
        {
            throw metadata.Error("redisHost", $"'{host}' lists several servers; only one Redis node is supported");
        }
        var port = (int)metadata.Integer("redisPort", 0, 0, 65535);
        var (name, given) = SplitHost(host);
        if (name.Length == 0)
        {
            throw metadata.Error("redisHost", $"'{host}' has no host name");
        }
        if (given is { } explicitPort && port != 0 && port != explicitPort)
        {
            throw metadata.Error("redisPort", $"{port} differs from the port {explicitPort} in redisHost '{host}'; give the port once");
        }
        host = $"{name}:{given ?? (port != 0 ? port : 6379)}";
        var dial = metadata.Duration("dialTimeout", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1));
        var read = metadata.Duration("readTimeout", TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(1));
        var write = metadata.Duration("writeTimeout", read, TimeSpan.FromMilliseconds(1));
        // Dapr's retry intervals bound the back-off between reconnect attempts here (commands themselves are not retried).
        var minRetry = metadata.Duration("redisMinRetryInterval", TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1));
        var maxRetry = metadata.Duration("redisMaxRetryInterval", TimeSpan.FromSeconds(2), minRetry);
        var options = new ConfigurationOptions
        {
            EndPoints = { host },
            User = metadata.Text("redisUsername"),
            Password = metadata.Text("redisPassword"),
            DefaultDatabase = (int)metadata.Integer("redisDB", 0, 0, 15),
            Ssl = metadata.Flag("enableTLS"),
            ConnectTimeout = Millis(dial),
            SyncTimeout = Millis(TimeSpan.FromTicks(Math.Max(read.Ticks, write.Ticks))),
            AsyncTimeout = Millis(TimeSpan.FromTicks(Math.Max(read.Ticks, write.Ticks))),
            AbortOnConnectFail = true,
            ConnectRetry = 1,
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new ExponentialRetry(Millis(minRetry), Millis(maxRetry)),
            ClientName = $"dapr-{metadata.Name}",
            // The multiplexer notices a dead socket on its own; a 1 s heartbeat also notices a silent one.
            HeartbeatInterval = TimeSpan.FromSeconds(1),
        };
        if (options.Ssl && metadata.Flag("insecureSkipTLSVerify"))
        {
            options.CertificateValidation += (_, _, _, _) => true;
        }
        return options;
    }

    private static (string Name, int? Port) SplitHost(string host)
    {
        var colon = host.LastIndexOf(':');
        if (colon > 0 && !host.EndsWith(']') && int.TryParse(host[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return (host[..colon], port);
        }
        return (host, null);
    }

    private static int Millis(TimeSpan span) => (int)Math.Clamp(span.TotalMilliseconds, 1, int.MaxValue);

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
