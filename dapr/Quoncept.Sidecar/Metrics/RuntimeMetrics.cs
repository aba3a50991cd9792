using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Quoncept.Sidecar.Metrics;

/// <summary>
/// The runtime's own instruments, one meter as <see cref="Tracing.SidecarTracing"/> is one activity source:
/// what daprd's metrics server reports about actors, pub/sub and state, under OpenTelemetry's
/// semantic-convention names where one exists (<c>db.client.operation.duration</c>,
/// <c>messaging.client.sent.messages</c>, <c>messaging.process.duration</c>) and <c>dapr.*</c> names
/// otherwise. Exported at <c>/metrics</c> on the metrics port (<see cref="Hosting.MetricsEndpoint"/>).
/// </summary>
internal static class RuntimeMetrics
{
    public const string MeterName = "Quoncept.Sidecar";

    // Latencies here are milliseconds to seconds; OpenTelemetry's default buckets (up to 10 000) are meant for milliseconds.
    internal static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> ActorCallDuration = Meter.CreateHistogram<double>(
        "dapr.actor.call.duration", "s", "Actor calls through the runtime, from the caller's request to the host app's answer (placement, turn wait and the app)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static readonly Counter<long> ActorActivations = Meter.CreateCounter<long>(
        "dapr.actor.activations", "{activation}", "Actors activated (first call on their placed host)");

    private static readonly Counter<long> ActorDeactivations = Meter.CreateCounter<long>(
        "dapr.actor.deactivations", "{deactivation}", "Actors deactivated, by reason (idle, rebalanced, host_gone, shutdown)");

    private static readonly Counter<long> PublishedMessages = Meter.CreateCounter<long>(
        "messaging.client.sent.messages", "{message}", "Messages published to a pub/sub component");

    private static readonly Histogram<double> PublishDuration = Meter.CreateHistogram<double>(
        "messaging.client.operation.duration", "s", "Publishing one message to a pub/sub component",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "messaging.client.consumed.messages", "{message}", "Messages delivered to a subscribed app, by outcome (success, retry, drop)");

    private static readonly Histogram<double> DeliveryDuration = Meter.CreateHistogram<double>(
        "messaging.process.duration", "s", "One delivery attempt: the app's handling of a message, as the runtime waits for it",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static readonly Histogram<double> StateDuration = Meter.CreateHistogram<double>(
        "db.client.operation.duration", "s", "State store operations (get, bulk_get, set, delete, transaction)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    public static void ActorCalled(string actorType, string method, long startTimestamp, string? errorType)
    {
        var tags = new TagList { { "dapr.actor.type", actorType }, { "dapr.actor.method", method } };
        if (errorType is not null) tags.Add("error.type", errorType);
        ActorCallDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    public static void ActorActivated(string actorType) =>
        ActorActivations.Add(1, new KeyValuePair<string, object?>("dapr.actor.type", actorType));

    public static void ActorDeactivated(string actorType, string reason) =>
        ActorDeactivations.Add(1, new KeyValuePair<string, object?>("dapr.actor.type", actorType), new KeyValuePair<string, object?>("dapr.actor.deactivation.reason", reason));

    public static void Published(string appId, string pubsubName, string topic, long startTimestamp, string? errorType)
    {
        var tags = new TagList
        {
            { "messaging.system", "dapr" }, { "messaging.operation.name", "publish" }, { "messaging.destination.name", topic },
            { "dapr.pubsub.name", pubsubName }, { "dapr.app_id", appId },
        };
        if (errorType is not null) tags.Add("error.type", errorType);
        PublishedMessages.Add(1, tags);
        PublishDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    /// <summary>One delivery attempt to <paramref name="appId"/> and how the app answered.</summary>
    public static void Delivered(string appId, string pubsubName, string topic, string outcome, long startTimestamp)
    {
        var tags = new TagList
        {
            { "messaging.system", "dapr" }, { "messaging.operation.name", "process" }, { "messaging.destination.name", topic },
            { "dapr.pubsub.name", pubsubName }, { "dapr.app_id", appId }, { "dapr.delivery.outcome", outcome },
        };
        Deliveries.Add(1, tags);
        DeliveryDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    public static void StateOperation(string storeType, string storeName, string operation, long startTimestamp, string? errorType)
    {
        var tags = new TagList { { "db.system.name", storeType }, { "db.namespace", storeName }, { "db.operation.name", operation } };
        if (errorType is not null) tags.Add("error.type", errorType);
        StateDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }
}
