using System.Diagnostics.Metrics;

namespace Quoncept.Gateway;

/// <summary>
/// The gateway's counters, on the .NET meter "Quoncept.Gateway" (readable with dotnet-counters or
/// any OpenTelemetry metrics exporter) and as totals for tests and benchmarks.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Quoncept.Gateway";

    private readonly Counter<long> _slowConsumerCuts;
    private long _slowConsumerCutsTotal;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _slowConsumerCuts = meter.CreateCounter<long>("quoncept.gateway.slow_consumer.cuts", unit: "{stream}",
            description: "Streams cut off because their client fell further behind than the outbound queue holds");
    }

    public long SlowConsumerCuts => Interlocked.Read(ref _slowConsumerCutsTotal);

    /// <param name="terminateWritten">Whether the client was still reading enough to be sent its Terminate.</param>
    public void SlowConsumerCut(bool terminateWritten)
    {
        Interlocked.Increment(ref _slowConsumerCutsTotal);
        _slowConsumerCuts.Add(1, new KeyValuePair<string, object?>("terminate_written", terminateWritten));
    }
}
