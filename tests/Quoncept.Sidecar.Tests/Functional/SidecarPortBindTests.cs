using System.Net;
using System.Net.Sockets;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.Runner;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>
/// A sidecar port the runtime chose can be taken by another process before the runtime binds it (seen in CI: two
/// test processes walking the same range). The runtime then chooses again; a port the user named is never replaced.
/// </summary>
public sealed class SidecarPortBindTests
{
    [Fact]
    public async Task StartAsync_ChosenPortTakenBeforeBind_BindsOnOtherPortsAndServes()
    {
        using var resources = Resources();
        using var squatter = Squat(out var taken);
        var handedOut = new List<int>();
        int NextPort()
        {
            var port = handedOut.Count == 0 ? taken : FreePort.Next();
            handedOut.Add(port);
            return port;
        }
        var app = new AppSpec("rebound", null, null, null, null, new Dictionary<string, string>(), [resources.Path], null, null);

        await using var runtime = await SidecarRuntime.StartAsync(
            Command(app), nextFreePort: NextPort);
        var instance = runtime.Apps.All.Single();
        using var api = TestHttp.Client(new Uri($"http://127.0.0.1:{instance.SidecarHttpPort}/"));
        using var metadata = await api.GetAsync("v1.0/metadata");

        Assert.Equal(4, handedOut.Count);
        Assert.NotEqual(taken, instance.SidecarHttpPort);
        Assert.Equal((handedOut[2], handedOut[3]), (instance.SidecarHttpPort, instance.SidecarGrpcPort));
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
    }

    [Fact]
    public async Task StartAsync_AllocatorOffersTheAppPort_SidecarTakesAnother()
    {
        using var resources = Resources();
        var appPort = FreePort.Next();
        var offers = new Queue<int>([appPort, FreePort.Next(), FreePort.Next()]);
        var app = new AppSpec("apart", null, appPort, null, null, new Dictionary<string, string>(), [resources.Path], null, null);

        await using var runtime = await SidecarRuntime.StartAsync(
            Command(app), nextFreePort: offers.Dequeue);
        var instance = runtime.Apps.All.Single();

        Assert.Empty(offers);
        Assert.DoesNotContain(appPort, new[] { instance.SidecarHttpPort, instance.SidecarGrpcPort });
    }

    [Fact]
    public async Task StartAsync_NamedPortTaken_FailsAtOnceNamingThePortsAndTheFlags()
    {
        using var resources = Resources();
        using var squatter = Squat(out var taken);
        var grpcPort = FreePort.Next();
        var chosen = 0;
        var app = new AppSpec("named", null, null, null, null, new Dictionary<string, string>(), [resources.Path], null, null)
        {
            SidecarHttpPort = taken,
            SidecarGrpcPort = grpcPort,
        };

        var error = await Assert.ThrowsAsync<IOException>(() => SidecarRuntime.StartAsync(
            Command(app), nextFreePort: () => ++chosen));

        Assert.Equal(0, chosen);
        Assert.Contains($"named http {taken} grpc {grpcPort}", error.Message, StringComparison.Ordinal);
        Assert.Contains("--dapr-http-port", error.Message, StringComparison.Ordinal);
    }

    private static TempFolder Resources()
    {
        var resources = new TempFolder();
        File.WriteAllText(Path.Combine(resources.Path, "components.yaml"), TestSidecar.InMemoryComponents);
        return resources;
    }

    /// <summary>A listener holding a loopback port, as another process would.</summary>
    private static TcpListener Squat(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    private static SidecarCommand Command(AppSpec app) => new([app], LogLevel.Warning, SidecarCommand.DefaultMaxRequestBodyBytes, []);
}
