using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Quoncept.Sidecar.Metrics;

/// <summary>
/// How each of the runtime's metric streams is kept. OpenTelemetry allocates a stream's whole cardinality limit
/// of points up front (2,000 by default, 144 KB a stream); the runtime's widest stream (actor calls by type, method
/// and outcome) has a few dozen tag sets. Beyond the limit, tag sets are counted together under
/// <c>otel_metric_overflow="true"</c>.
/// </summary>
internal static class SidecarMetricStreams
{
    public const int MaxTagSets = 500;

    public static MetricStreamConfiguration Configure(Instrument instrument) => instrument.Name switch
    {
        // Per-block updates of Kestrel's memory pool, one per request or more: dropped, as in the apps (ServiceDefaults).
        "aspnetcore.memory_pool.rented" or "aspnetcore.memory_pool.pooled" => MetricStreamConfiguration.Drop,
        _ => new MetricStreamConfiguration { CardinalityLimit = MaxTagSets },
    };
}
