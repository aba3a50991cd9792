using System.Net;
using System.Text;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.Runner;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>The metrics server daprd runs on --metrics-port: Prometheus text at /metrics there, and only there.</summary>
public sealed class MetricsPortTests
{
    [Fact]
    public async Task MetricsPort_StateCallsThenScrape_PrometheusTextWithStateStoreLatency()
    {
        using var resources = new TempFolder();
        File.WriteAllText(Path.Combine(resources.Path, "components.yaml"), TestSidecar.InMemoryComponents);
        var metricsPort = FreePort.Next();
        var app = new AppSpec("metered", null, null, null, null, new Dictionary<string, string>(), [resources.Path], null, null)
        {
            SidecarGrpcPort = 0,
            MetricsPort = metricsPort,
        };
        await using var runtime = await SidecarRuntime.StartAsync(new SidecarCommand([app], LogLevel.Warning, SidecarCommand.DefaultMaxRequestBodyBytes, []));
        using var api = TestHttp.Client(new Uri($"http://127.0.0.1:{runtime.Apps.All.Single().SidecarHttpPort}/"));
        using var metrics = TestHttp.Client(new Uri($"http://127.0.0.1:{metricsPort}/"));

        using (var saved = await api.PostAsync("v1.0/state/statestore", new StringContent("""[{"key":"k","value":1}]""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        }
        using var scrape = await metrics.GetAsync("metrics");
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE db_client_operation_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("""db_namespace="statestore",db_operation_name="set",db_system_name="in-memory""", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsPort_OtherPathsAndApiPort_404()
    {
        using var resources = new TempFolder();
        File.WriteAllText(Path.Combine(resources.Path, "components.yaml"), TestSidecar.InMemoryComponents);
        var metricsPort = FreePort.Next();
        var app = new AppSpec("metered", null, null, null, null, new Dictionary<string, string>(), [resources.Path], null, null)
        {
            SidecarGrpcPort = 0,
            MetricsPort = metricsPort,
        };
        await using var runtime = await SidecarRuntime.StartAsync(new SidecarCommand([app], LogLevel.Warning, SidecarCommand.DefaultMaxRequestBodyBytes, []));
        using var api = TestHttp.Client(new Uri($"http://127.0.0.1:{runtime.Apps.All.Single().SidecarHttpPort}/"));
        using var metrics = TestHttp.Client(new Uri($"http://127.0.0.1:{metricsPort}/"));

        using var apiOnMetricsPort = await metrics.GetAsync("v1.0/metadata");
        using var metricsOnApiPort = await api.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.NotFound, apiOnMetricsPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, metricsOnApiPort.StatusCode);
    }
}
