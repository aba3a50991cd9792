using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Quoncept.Sidecar.Components;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// <c>pubsub.jetstream</c> (https://docs.dapr.io/reference/components-reference/supported-pubsub/setup-jetstream/) on NATS.Net:
/// a topic is a subject of an existing stream (<c>streamName</c>, or the stream whose subjects hold the topic, as daprd
/// finds it); a publish sets <c>Nats-Msg-Id</c> to the topic and the CloudEvent id so JetStream drops duplicates within
/// the stream's window (the topic is part of it: a dead-lettered message keeps its id, and a dead-letter topic is often a
/// subject of the same stream). Each (consumer group, topic) reads through one pull consumer, <c>{durableName|dapr}-{group}-{topic}</c>, so
/// replicas in a group compete and groups each get everything (daprd instead shares one <c>durableName</c> between
/// all topics). A message is acked once its delivery is settled and nak'd (after <c>ackWait</c>, as daprd) when
/// delivery fails; one cut short by a stop is redelivered by the server after <c>ackWait</c>, also to the next runtime.
/// </summary>
internal sealed class JetStreamPubSub : IPubSub
{
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _js;
    private readonly Settings _settings;
    private readonly ILogger _logger;

    private JetStreamPubSub(string name, NatsConnection connection, NatsJSContext js, Settings settings, ILogger logger)
    {
        Name = name;
        _connection = connection;
        _js = js;
        _settings = settings;
        _logger = logger;
    }

    public string Name { get; }

    public bool AcknowledgesOnCompletion => true;

    public static JetStreamPubSub Create(ComponentDefinition definition, ILogger logger)
    {
        var metadata = ComponentMetadata.Check(definition,
            ["natsURL", "name", "jwt", "seedKey", "token", "streamName", "createStreamSubjects", "durableName", "queueGroupName",
             "deliverPolicy", "startSequence", "startTime", "deliverAll", "deliverNew", "ackWait", "maxDeliver", "backOff",
             "maxAckPending", "replicas", "memoryStorage", "ackPolicy", "domain", "apiPrefix", "concurrency"],
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["tls_client_cert"] = "TLS client certificates are not supported; use token or jwt/seedKey",
                ["tls_client_key"] = "TLS client certificates are not supported; use token or jwt/seedKey",
                ["flowControl"] = "consumers here are pull consumers, which have no flow control",
                ["heartbeat"] = "consumers here are pull consumers, which have no idle heartbeat setting",
                ["rateLimit"] = "consumers here are pull consumers, which have no rate limit",
            });
        var settings = Settings.Read(metadata);
        var options = NatsOpts.Default with
        {
            Url = metadata.Required("natsURL", "nats://host:4222"),
            Name = metadata.Text("name") ?? "dapr.io - pubsub.jetstream",
            AuthOpts = NatsAuthOpts.Default with { Token = metadata.Text("token"), Jwt = metadata.Text("jwt"), Seed = metadata.Text("seedKey") },
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
            MaxReconnectRetry = -1,
            // While NATS is away a publish fails at once instead of waiting for the connection to return.
            PublishTimeoutOnDisconnected = true,
            RequestTimeout = TimeSpan.FromSeconds(5),
        };
        if ((metadata.Text("jwt") is null) != (metadata.Text("seedKey") is null))
        {
            throw metadata.Error(metadata.Text("jwt") is null ? "jwt" : "seedKey", "is needed too: jwt and seedKey go together");
        }
        var connection = new NatsConnection(options);
        try
        {
            connection.ConnectAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception error) when (error is NatsException or TimeoutException or OperationCanceledException)
        {
            connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
            var authentication = error.ToString().Contains("Authorization", StringComparison.OrdinalIgnoreCase);
            throw authentication
                ? metadata.Error(metadata.Text("token") is not null ? "token" : "jwt", $"was refused by NATS at {options.Url}: {error.Message}")
                : metadata.Error("natsURL", $"'{options.Url}': cannot connect to NATS: {error.GetBaseException().Message}");
        }
        connection.ConnectionDisconnected += (_, _) =>
        {
            logger.LogWarning("component {Name}: lost NATS at {Url}; reconnecting", definition.Name, options.Url);
            return ValueTask.CompletedTask;
        };
        var js = new NatsJSContext(connection, new NatsJSOpts(options, settings.ApiPrefix, settings.Domain));
        var pubsub = new JetStreamPubSub(definition.Name, connection, js, settings, logger);
        pubsub.CheckStream(metadata);
        return pubsub;
    }

    public async ValueTask PublishAsync(PubSubMessage message, CancellationToken cancellationToken)
    {
        // While the connection is down a publish would wait for it to come back: fail at once, as Redis does.
        if (_connection.ConnectionState != NatsConnectionState.Open)
        {
            throw new InvalidOperationException($"NATS at {_connection.Opts.Url} is not connected ({_connection.ConnectionState}); reconnecting");
        }
        var headers = new NatsHeaders();
        foreach (var (key, value) in BrokerMetadata.From(message))
        {
            headers[key] = value;
        }
        PubAckResponse ack;
        try
        {
            ack = await _js.PublishAsync(message.Topic, message.Data.ToArray(), headers: headers,
                opts: CloudEventId(message) is { } id ? new NatsJSPubOpts { MsgId = message.Topic + "/" + id } : null, cancellationToken: cancellationToken);
        }
        catch (OperationCanceledException cancelled) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"JetStream did not acknowledge the publish to {message.Topic} in time (NATS at {_connection.Opts.Url})", cancelled);
        }
        catch (NatsNoRespondersException noResponders)
        {
            throw new InvalidOperationException($"no JetStream stream holds subject '{message.Topic}'", noResponders);
        }
        // A duplicate (the same CloudEvent id within the stream's window) is JetStream doing its job, not a failure.
        if (ack.Error is { } error)
        {
            throw new NatsJSApiException(error);
        }
    }

    public IAsyncDisposable Subscribe(string topic, string consumerGroup, Func<PubSubMessage, CancellationToken, ValueTask> handler, int concurrency) =>
        new JetStreamSubscription(this, _js, _settings, _logger, topic, _settings.QueueGroupName ?? consumerGroup, handler, _settings.Parallel ? concurrency : 1);

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    /// <summary>The named stream must exist at start (or be created from <c>createStreamSubjects</c>); a missing one names the field.</summary>
    private void CheckStream(ComponentMetadata metadata)
    {
        if (_settings.StreamName is not { } stream)
        {
            return;
        }
        try
        {
            _js.GetStreamAsync(stream).AsTask().GetAwaiter().GetResult();
        }
        catch (NatsJSApiException error) when (error.Error.Code == 404)
        {
            if (_settings.CreateStreamSubjects is not { Length: > 0 } subjects)
            {
                throw metadata.Error("streamName", $"'{stream}': JetStream has no such stream; create it (nats stream add) or list its subjects in createStreamSubjects");
            }
            _js.CreateStreamAsync(new StreamConfig(stream, subjects) { Storage = StreamConfigStorage.File }).AsTask().GetAwaiter().GetResult();
            _logger.LogInformation("component {Name}: created JetStream stream {Stream} for subjects {Subjects}", Name, stream, string.Join(", ", subjects));
        }
    }

    private static string? CloudEventId(PubSubMessage message)
    {
        if (message.Raw)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(message.Data);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal sealed record Settings(
        string? StreamName, string[]? CreateStreamSubjects, string? DurableName, string? QueueGroupName, ConsumerConfigDeliverPolicy DeliverPolicy,
        ulong StartSequence, DateTimeOffset? StartTime, TimeSpan? AckWait, long MaxDeliver, TimeSpan[] BackOff, long MaxAckPending, int Replicas,
        bool MemoryStorage, ConsumerConfigAckPolicy AckPolicy, string? Domain, string? ApiPrefix, bool Parallel)
    {
        public static Settings Read(ComponentMetadata metadata)
        {
            var policy = metadata.Choice("deliverPolicy", metadata.Flag("deliverNew") ? "new" : "all", "all", "last", "new", "sequence", "time");
            var startSequence = (ulong)metadata.Integer("startSequence", 0, 0);
            var startTime = metadata.Text("startTime") is null ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeSeconds(metadata.Integer("startTime", 0, 0));
            if (policy == "sequence" && startSequence == 0)
            {
                throw metadata.Error("startSequence", "is required (1 or more) with deliverPolicy sequence");
            }
            if (policy == "time" && startTime is null)
            {
                throw metadata.Error("startTime", "is required (Unix seconds) with deliverPolicy time");
            }
            if (metadata.Flag("deliverAll") && policy != "all")
            {
                throw metadata.Error("deliverAll", $"contradicts deliverPolicy {policy}");
            }
            var backOff = (metadata.Text("backOff") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(text => Actors.Durations.GoDuration.TryParse(text, out var step) && step > TimeSpan.Zero ? step
                    : throw metadata.Error("backOff", $"'{text}' is not a duration (a comma-separated list such as 1s,5s,30s)"))
                .ToArray();
            var maxDeliver = metadata.Integer("maxDeliver", 0, -1);
            if (backOff.Length > 0 && maxDeliver > 0 && maxDeliver <= backOff.Length)
            {
                throw metadata.Error("maxDeliver", $"{maxDeliver} must be more than the {backOff.Length} backOff steps (JetStream's rule)");
            }
            var ackPolicy = metadata.Choice("ackPolicy", "explicit", "explicit", "none", "all");
            if (ackPolicy == "all")
            {
                throw metadata.Error("ackPolicy", "'all' acknowledges every earlier message too, which loses messages delivered concurrently; use explicit");
            }
            return new Settings(
                metadata.Text("streamName"),
                metadata.Text("createStreamSubjects")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                metadata.Text("durableName"),
                metadata.Text("queueGroupName"),
                policy switch
                {
                    "last" => ConsumerConfigDeliverPolicy.Last,
                    "new" => ConsumerConfigDeliverPolicy.New,
                    "sequence" => ConsumerConfigDeliverPolicy.ByStartSequence,
                    "time" => ConsumerConfigDeliverPolicy.ByStartTime,
                    _ => ConsumerConfigDeliverPolicy.All,
                },
                startSequence,
                startTime,
                metadata.Text("ackWait") is null ? null : metadata.Duration("ackWait", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1)),
                maxDeliver,
                backOff,
                metadata.Integer("maxAckPending", 0, -1),
                (int)metadata.Integer("replicas", 0, 0, 5),
                metadata.Flag("memoryStorage"),
                ackPolicy == "none" ? ConsumerConfigAckPolicy.None : ConsumerConfigAckPolicy.Explicit,
                metadata.Text("domain"),
                metadata.Text("apiPrefix"),
                metadata.Choice("concurrency", "parallel", "single", "parallel") == "parallel");
        }
    }
}
