using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using Quoncept.Telemetry;

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

    public static MetricStreamConfiguration Configure(Instrument instrument) => UnreadInstruments.Contains(instrument.Name)
        ? MetricStreamConfiguration.Drop
        : new MetricStreamConfiguration { CardinalityLimit = MaxTagSets };
}
