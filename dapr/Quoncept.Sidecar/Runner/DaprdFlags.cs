using System.Globalization;

namespace Quoncept.Sidecar.Runner;

/// <summary>
/// daprd's command line (https://docs.dapr.io/reference/arguments-annotations-overview/), Go flag
/// syntax: <c>-name value</c>, <c>--name value</c>, <c>--name=value</c>; booleans need no value.
/// Implemented flags drive the runtime; daprd flags it does not implement are accepted with a
/// warning naming them; anything else is an error.
/// </summary>
internal static class DaprdFlags
{
    /// <summary>
    /// daprd's default gRPC port, taken when <c>--dapr-grpc-port</c> is not given so that an SDK app
    /// without DAPR_GRPC_PORT finds the sidecar where it looks by default; <c>--dapr-grpc-port 0</c>
    /// takes any free port instead (printed at start).
    /// </summary>
    public const int DefaultGrpcPort = 50001;

    private static readonly HashSet<string> IgnoredWithValue = new(StringComparer.Ordinal)
    {
        "dapr-internal-grpc-port", "dapr-public-port", "placement-host-address", "scheduler-host-address",
        "profile-port", "app-max-concurrency", "sentry-address", "control-plane-address", "mode", "kubeconfig",
        "dapr-listen-addresses", "dapr-graceful-shutdown-seconds", "app-health-check-path", "app-health-probe-interval",
        "app-health-probe-timeout", "app-health-threshold", "unix-domain-socket", "dapr-http-read-buffer-size", "read-buffer-size",
        "app-channel-address", "dapr-block-shutdown-duration", "allowed-origins", "namespace", "trust-domain", "trust-anchors-file",
        "dapr-public-listen-addresses", "metrics-listen-address", "max-concurrency", "app-id-version",
    };

    private static readonly HashSet<string> IgnoredBooleans = new(StringComparer.Ordinal)
    {
        "enable-metrics", "enable-profiling", "enable-mtls", "app-ssl", "log-as-json", "enable-api-logging",
        "enable-app-health-check", "disable-builtin-k8s-secret-store", "wait",
    };

    public static SidecarCommand Parse(IReadOnlyList<string> args)
    {
        string? appId = null;
        int? appPort = null;
        int? httpPort = null;
        var grpcPort = DefaultGrpcPort;
        int? metricsPort = null;
        string? config = null;
        var resources = new List<string>();
        var logLevel = LogLevel.Information;
        var maxBody = SidecarCommand.DefaultMaxRequestBodyBytes;
        var warnings = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg is "-" or "--")
            {
                throw new CommandLineException($"unexpected argument '{arg}': flags look like --app-id myapp");
            }
            var name = arg.TrimStart('-');
            string? inline = null;
            var equals = name.IndexOf('=');
            if (equals >= 0)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }
            if (IgnoredBooleans.Contains(name))
            {
                warnings.Add($"daprd flag --{name} is accepted but not implemented by this runtime; ignored");
                continue;
            }
            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }
                if (i + 1 >= args.Count)
                {
                    throw new CommandLineException($"flag --{name} needs a value");
                }
                return args[++i];
            }
            switch (name)
            {
                case "app-id":
                    appId = Value();
                    break;
                case "app-port":
                    appPort = Port(name, Value());
                    break;
                case "dapr-http-port":
                    httpPort = Port(name, Value());
                    break;
                case "dapr-grpc-port":
                    var grpcText = Value();
                    grpcPort = grpcText == "0" ? 0 : Port(name, grpcText);
                    break;
                case "metrics-port":
                    metricsPort = Port(name, Value());
                    break;
                case "resources-path" or "components-path":
                    resources.Add(Value());
                    break;
                case "config":
                    config = Value();
                    break;
                case "app-protocol":
                    var protocol = Value();
                    if (protocol != "http")
                    {
                        throw new CommandLineException($"--app-protocol {protocol} is not supported by this runtime; use http (the app must serve its callbacks over HTTP; Dapr's gRPC API is served either way)");
                    }
                    break;
                case "log-level":
                    logLevel = LogLevels.Parse(Value());
                    break;
                case "dapr-http-max-request-size":
                    maxBody = Megabytes(name, Value());
                    break;
                case "max-body-size":
                    maxBody = ByteSize.Parse(Value(), $"--{name}");
                    break;
                case "help" or "h":
                    throw new CommandLineException(Usage);
                default:
                    if (IgnoredWithValue.Contains(name))
                    {
                        Value();
                        warnings.Add($"daprd flag --{name} is accepted but not implemented by this runtime; ignored");
                        break;
                    }
                    throw new CommandLineException($"unknown flag --{name}: daprd has no such flag. {Usage}");
            }
        }
        if (string.IsNullOrWhiteSpace(appId))
        {
            throw new CommandLineException($"--app-id is required. {Usage}");
        }
        if (httpPort is not null && httpPort == grpcPort)
        {
            throw new CommandLineException($"--dapr-http-port and --dapr-grpc-port are both {grpcPort}: the HTTP and gRPC APIs need ports of their own");
        }
        var app = new AppSpec(appId, null, appPort, httpPort, null, new Dictionary<string, string>(), resources, config, null)
        {
            SidecarGrpcPort = grpcPort,
            MetricsPort = metricsPort,
        };
        return new SidecarCommand([app], logLevel, maxBody, warnings);
    }

    public const string Usage =
        "Usage: Quoncept.Sidecar run -f dapr/dapr.yaml | Quoncept.Sidecar --app-id ID [--app-port N] [--dapr-http-port N] [--dapr-grpc-port N (default 50001, 0 = any free port)] [--metrics-port N] " +
        "[--resources-path DIR]... [--config FILE] [--app-protocol http] [--log-level debug|info|warn|error] [--dapr-http-max-request-size MB]";

    internal static int Port(string flag, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new CommandLineException($"--{flag} '{text}' is not a port number (1-65535)");

    private static long Megabytes(string flag, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) && mb > 0
            ? mb * 1024L * 1024L
            : throw new CommandLineException($"--{flag} '{text}' is not a size in megabytes");
}
