using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Quoncept.ServiceDefaults.Metrics;

/// <summary>
/// The instruments of the universe's services, as seen from inside the app: actor calls by type and method
/// (the app's handling, without the sidecar's placement and turn wait, which the runtime measures),
/// activations, actor state saves, and event publishes under OpenTelemetry's messaging names. One static
/// meter, as the SDK creates the actors that report here.
/// </summary>
public static class ServiceMetrics
{
    public const string MeterName = "Quoncept.Services";

    /// <summary>Bucket bounds in seconds for latencies from sub-millisecond to seconds.</summary>
    public static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> ActorCallDuration = Meter.CreateHistogram<double>(
        "quoncept.actor.call.duration", "s", "Actor method calls handled by this app, by actor type and method",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static readonly Counter<long> ActorActivations = Meter.CreateCounter<long>(
        "quoncept.actor.activations", "{activation}", "Actors activated in this app (each one reads its saved state)");

    private static readonly Histogram<double> StateSaveDuration = Meter.CreateHistogram<double>(
        "quoncept.actor.state.save.duration", "s", "Saving an actor's turn (one state transaction through the sidecar)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static readonly Counter<long> SentMessages = Meter.CreateCounter<long>(
        "messaging.client.sent.messages", "{message}", "Events published through the sidecar");

    private static readonly Histogram<double> PublishDuration = Meter.CreateHistogram<double>(
        "messaging.client.operation.duration", "s", "One publish or bulk publish through the sidecar",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    public static void ActorCalled(string actorType, string method, long startTimestamp, int statusCode)
    {
        var tags = new TagList { { "dapr.actor.type", actorType }, { "dapr.actor.method", method } };
        if (statusCode != 200) tags.Add("error.type", statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ActorCallDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    public static void ActorActivated(string actorType) =>
        ActorActivations.Add(1, new KeyValuePair<string, object?>("dapr.actor.type", actorType));

    public static void StateSaved(string actorType, long startTimestamp, bool failed)
    {
        var tags = new TagList { { "dapr.actor.type", actorType } };
        if (failed) tags.Add("error.type", "save_failed");
        StateSaveDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    /// <param name="operation">"publish" or "bulk_publish" (semantic conventions: messaging.operation.name).</param>
    public static void Published(string topic, string operation, int sent, int failed, long startTimestamp, string? errorType)
    {
        var tags = new TagList { { "messaging.system", "dapr" }, { "messaging.operation.name", operation }, { "messaging.destination.name", topic } };
        if (sent > 0) SentMessages.Add(sent, tags);
        if (errorType is not null) tags.Add("error.type", errorType);
        if (failed > 0) SentMessages.Add(failed, tags);
        PublishDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }
}
