using Quoncept.Universe.Tests.EndToEnd;

namespace Quoncept.Universe.Tests.Operations;

/// <summary>
/// A universe of its own (no other test's traffic moves its counters) and a real Prometheus scraping it:
/// job "runtime" is the local runtime's metrics port, job "apps" every app's /metrics on its HTTP port.
/// </summary>
public sealed class MetricsUniverse : IAsyncLifetime
{
    public UniverseFixture Universe { get; } = new();

    internal PrometheusServer Prometheus { get; private set; } = null!;

    public int TargetCount => Universe.AppPorts.Count + 1;

    public async Task InitializeAsync()
    {
        await Universe.InitializeAsync();
        Prometheus = await PrometheusServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, int>>
        {
            ["runtime"] = new Dictionary<string, int> { ["runtime"] = Universe.RuntimeMetricsPort },
            ["apps"] = Universe.AppPorts,
        });
        await Prometheus.WaitForTargetsUpAsync(TargetCount);
    }

    public async Task DisposeAsync()
    {
        if (Prometheus is not null) await Prometheus.DisposeAsync();
        await Universe.DisposeAsync();
    }
}
