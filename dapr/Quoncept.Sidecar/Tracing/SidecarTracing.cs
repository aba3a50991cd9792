using System.Diagnostics;

namespace Quoncept.Sidecar.Tracing;

/// <summary>
/// The runtime's own ActivitySource, for the spans no instrumentation library makes: pub/sub deliveries
/// (continued from the trace context the message carries), actor calls, and gRPC calls whose trace context
/// came only as <c>grpc-trace-bin</c>. Requests and calls into apps are traced by OpenTelemetry's ASP.NET
/// Core and HttpClient instrumentation (see <see cref="TracingSetup"/>).
/// </summary>
internal static class SidecarTracing
{
    public const string SourceName = "Quoncept.Sidecar";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Parses a W3C <c>traceparent</c> (https://www.w3.org/TR/trace-context/#traceparent-header):
    /// <c>version "-" trace-id(32 hex) "-" parent-id(16 hex) "-" flags(2 hex)</c>.
    /// </summary>
    public static bool TryParseParent(string? traceparent, string? tracestate, out ActivityContext context)
    {
        context = default;
        return !string.IsNullOrEmpty(traceparent)
            && ActivityContext.TryParse(traceparent, tracestate, isRemote: true, out context);
    }
}
