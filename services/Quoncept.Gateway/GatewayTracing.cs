using System.Diagnostics;
using Quoncept.V1;

namespace Quoncept.Gateway;

/// <summary>
/// The gateway's spans (source "Quoncept.Gateway", exported with the service's tracing): one per request
/// on a Connect stream, so that each request is a trace of its own instead of one trace for the stream's
/// whole life, continued from the client's context in the message (<c>traceparent</c>, stream.proto) or
/// started here; and one per live event received, continued from the publisher's context in the
/// CloudEvent, with the connections it was queued to.
/// </summary>
internal static class GatewayTracing
{
    public const string SourceName = "Quoncept.Gateway";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The span of one stream request: a child of the client's span, else a new root linked to the stream's span.</summary>
    public static Activity? StartRequest(ClientMessage request, Activity? stream, string gatewayId)
    {
        var name = "quoncept.v1.Gateway/Connect " + (ClientMessage.Descriptor.FindFieldByNumber((int)request.BodyCase)?.Name ?? "none");
        var hasParent = ActivityContext.TryParse(request.Traceparent, request.Tracestate, isRemote: true, out var parent);
        // Not a child of the stream's span: a stream lives for hours, its requests are traces of their own.
        Activity.Current = null;
        var links = stream is null ? null : new[] { new ActivityLink(stream.Context) };
        var span = Source.StartActivity(ActivityKind.Server, hasParent ? parent : default, links: links, name: name);
        if (span is null) Activity.Current = stream;
        span?.SetTag("rpc.system", "grpc");
        span?.SetTag("quoncept.request_id", request.RequestId);
        span?.SetTag("quoncept.gateway.id", gatewayId);
        return span;
    }

    /// <summary>
    /// The span of one call carrying several clients' chat lines (<see cref="Streams.ChatGroupCommit"/>): a new root, linked
    /// to the span of each request it carries, as a messaging batch is.
    /// </summary>
    public static Activity? StartChatBatch(string systemId, IEnumerable<ActivityContext> requests, int lines, string gatewayId)
    {
        var links = requests.Where(c => c != default).Select(c => new ActivityLink(c)).ToList();
        var span = Source.StartActivity(ActivityKind.Internal, parentContext: default, links: links, name: "chat batch " + systemId);
        span?.SetTag("quoncept.chat.batch.lines", lines);
        span?.SetTag("quoncept.gateway.id", gatewayId);
        return span;
    }

    /// <summary>The span of one live event at this replica, continued from the trace context the event was published under.</summary>
    public static Activity? StartLiveEvent(string eventType, string? traceParent, string? traceState, string gatewayId)
    {
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent);
        var span = Source.StartActivity(ActivityKind.Consumer, parent, name: "live " + eventType);
        span?.SetTag("messaging.destination.name", Contracts.Topics.Events);
        span?.SetTag("quoncept.gateway.id", gatewayId);
        return span;
    }
}
