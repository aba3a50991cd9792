using System.Diagnostics;
using System.Diagnostics.Metrics;
using Google.Protobuf.Reflection;
using Quoncept.ServiceDefaults.Metrics;
using Quoncept.V1;

namespace Quoncept.Gateway;

/// <summary>
/// The gateway's instruments (meter "Quoncept.Gateway", exported at /metrics on the app port): open streams,
/// messages in and out by type, request latency by type (logins are <c>quoncept.message.type="login"</c>),
/// live events received and fanned out, messages waiting in the connections' queues, and streams ended by
/// the gateway by reason (<c>slow_consumer</c> cuts among them). Message types are the proto field names
/// of the <c>body</c> oneofs (stream.proto), so they read as the wire contract does.
/// </summary>
internal static class GatewayMetrics
{
    public const string MeterName = "Quoncept.Gateway";

    private static readonly Meter Meter = new(MeterName);

    private static readonly UpDownCounter<long> ActiveStreams = Meter.CreateUpDownCounter<long>(
        "quoncept.gateway.streams.active", "{stream}", "Connect streams admitted and not yet ended");

    private static readonly Counter<long> Received = Meter.CreateCounter<long>(
        "quoncept.gateway.messages.received", "{message}", "Client messages read from Connect streams, by type");

    private static readonly Counter<long> Sent = Meter.CreateCounter<long>(
        "quoncept.gateway.messages.sent", "{message}", "Server messages written to Connect streams, by type");

    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "quoncept.gateway.request.duration", "s", "From reading a client request to queuing its answer, by type; error.type is the answer's error code",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ServiceMetrics.SecondsBuckets });

    private static readonly Counter<long> LiveEvents = Meter.CreateCounter<long>(
        "messaging.client.consumed.messages", "{message}", "Live events delivered to this replica by its sidecar");

    private static readonly Counter<long> FannedOut = Meter.CreateCounter<long>(
        "quoncept.gateway.fanout.messages", "{message}", "Live events queued to the connections they concern");

    private static readonly Counter<long> Terminations = Meter.CreateCounter<long>(
        "quoncept.gateway.streams.terminated", "{stream}", "Streams the gateway ended, by reason (slow_consumer, replaced, reconnected, shutdown, ...)");

    private static readonly Histogram<long> ChatBatchLines = Meter.CreateHistogram<long>(
        "quoncept.gateway.chat.batch.lines", "{line}", "Chat lines sent to a system actor in one call (ChatBatch); above 1 when lines queued behind the previous call",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });

    private static readonly Counter<long> SlowConsumerCuts = Meter.CreateCounter<long>(
        "quoncept.gateway.slow_consumer.cuts", "{stream}", "Streams cut off because their client fell further behind than the outbound queue holds");

    /// <param name="terminateWritten">Whether the client was still reading enough to be sent its Terminate.</param>
    public static void SlowConsumerCut(bool terminateWritten) =>
        SlowConsumerCuts.Add(1, new KeyValuePair<string, object?>("terminate_written", terminateWritten));

    public static void ChatBatchSent(int lines) => ChatBatchLines.Record(lines);

    public static void StreamOpened() => ActiveStreams.Add(1);

    public static void StreamClosed() => ActiveStreams.Add(-1);

    public static void MessageReceived(ClientMessage message) => Received.Add(1, Type(ClientMessage.Descriptor, (int)message.BodyCase));

    /// <summary><paramref name="count"/> messages of one type written to a stream in a row (a connection's writer counts a run at once).</summary>
    public static void MessagesSent(ServerMessage.BodyOneofCase type, int count) => Sent.Add(count, SentTypes.GetValueOrDefault((int)type, NoType));

    public static void RequestAnswered(ClientMessage request, ServerMessage reply, long startTimestamp)
    {
        var tags = new TagList { Type(ClientMessage.Descriptor, (int)request.BodyCase) };
        if (reply.BodyCase == ServerMessage.BodyOneofCase.Error) tags.Add("error.type", reply.Error.Code.ToString());
        RequestDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    public static void LiveEventReceived(string eventType) => LiveEvents.Add(1,
        new KeyValuePair<string, object?>("messaging.system", "dapr"),
        new KeyValuePair<string, object?>("messaging.destination.name", Contracts.Topics.Events),
        new KeyValuePair<string, object?>("quoncept.event.type", eventType));

    public static void FannedOutTo(int connections)
    {
        if (connections > 0) FannedOut.Add(connections);
    }

    /// <summary>
    /// The fan-out queue depth, observed when metrics are collected rather than counted per message: the connections
    /// already count what waits in their lanes, and two shared counter updates per delivery cost the gateway more than
    /// the sum over its connections at each scrape.
    /// </summary>
    public static void ObserveOutboundQueued(IMeterFactory meters, Func<long> depth) =>
        meters.Create(MeterName).CreateObservableUpDownCounter(
            "quoncept.gateway.outbound.queued", depth, "{message}", "Messages waiting in the connections' outbound queues (fan-out queue depth)");

    public static void Terminated(string reason) => Terminations.Add(1, new KeyValuePair<string, object?>("quoncept.termination.reason", reason));

    private static readonly KeyValuePair<string, object?> NoType = new("quoncept.message.type", "none");

    // One tag per body case, built once: looking the field name up per message showed in the gateway's profile.
    private static readonly Dictionary<int, KeyValuePair<string, object?>> SentTypes =
        ServerMessage.Descriptor.Oneofs.Single(o => o.Name == "body").Fields.ToDictionary(f => f.FieldNumber, f => Type(ServerMessage.Descriptor, f.FieldNumber));

    private static KeyValuePair<string, object?> Type(MessageDescriptor descriptor, int bodyCase) =>
        new("quoncept.message.type", descriptor.FindFieldByNumber(bodyCase)?.Name ?? "none");
}
