namespace Quoncept.Sidecar.Tracing;

/// <summary>
/// A Dapr <c>Configuration</c>'s tracing section (https://docs.dapr.io/operations/observability/tracing/setup-tracing/):
/// <c>samplingRate</c> ("0" to "1") and <c>zipkin.endpointAddress</c>. Without an endpoint spans are
/// still created so the W3C context propagates, but nothing is exported.
/// </summary>
internal sealed record TracingOptions(double SamplingRate, Uri? ZipkinEndpoint)
{
    public static TracingOptions None { get; } = new(0, null);
}
