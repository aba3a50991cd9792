namespace Quoncept.Sidecar.Tracing;

/// <summary>
/// A Dapr <c>Configuration</c>'s tracing section (https://docs.dapr.io/operations/observability/tracing/setup-tracing/):
/// <c>samplingRate</c> ("0" to "1") and <c>zipkin.endpointAddress</c>; <see cref="ExportOtlp"/> when the
/// runtime's environment names an OTLP collector (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). Without an exporter
/// spans are still created so the W3C context propagates, but nothing is exported.
/// </summary>
internal sealed record TracingOptions(double SamplingRate, Uri? ZipkinEndpoint)
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static TracingOptions None { get; } = new(0, null);

    /// <summary>Also export over OTLP, configured by the standard <c>OTEL_EXPORTER_OTLP_*</c> variables.</summary>
    public bool ExportOtlp { get; init; }
}
