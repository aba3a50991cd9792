using System.Diagnostics;
using Grpc.Core;
using Quoncept.V1;

namespace Quoncept.Client;

/// <summary>
/// The client's part of a request's trace. Each request is a span of the <c>Quoncept.Client</c> activity
/// source when the application traces (an OpenTelemetry SDK listening to it), else, with
/// <see cref="ConnectionOptions.Trace"/>, a sampled W3C context made here so the request is recorded
/// end to end and its trace id can be looked up. Its <c>traceparent</c> goes in the message (stream
/// requests) or the call's metadata (CreateSession, Connect). Without either, nothing is sent and the
/// gateway starts the trace.
/// </summary>
public static class ClientTracing
{
    public const string SourceName = "Quoncept.Client";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span for one request (null when nobody listens), and the context to send, if any.</summary>
    internal static (Activity? Span, string? TraceParent, string? TraceState) Start(string name, bool trace)
    {
        var span = Source.StartActivity(name, ActivityKind.Client);
        if (span is { IdFormat: ActivityIdFormat.W3C }) return (span, span.Id, span.TraceStateString);
        if (!trace) return (span, null, null);
        return (span, $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01", null);
    }

    /// <summary>The trace id of a W3C traceparent ("00-{trace id}-{span id}-{flags}").</summary>
    internal static string? TraceIdOf(string? traceparent) =>
        traceparent is { Length: 55 } ? traceparent.Substring(3, 32) : null;

    internal static void Stamp(ClientMessage message, string? traceParent, string? traceState)
    {
        if (traceParent is null) return;
        message.Traceparent = traceParent;
        if (traceState is not null) message.Tracestate = traceState;
    }

    internal static Metadata? Headers(string? traceParent, string? traceState)
    {
        if (traceParent is null) return null;
        var headers = new Metadata { { "traceparent", traceParent } };
        if (traceState is not null) headers.Add("tracestate", traceState);
        return headers;
    }
}
