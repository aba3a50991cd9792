using System.Net.Http.Json;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.Runner;

namespace Quoncept.Sidecar.Tests.Harness;

/// <summary>
/// A runtime started in-process on free ports, fronting apps started by the test, with components
/// written to a temporary resources folder. Retries and health probes are shortened.
/// </summary>
internal sealed class TestSidecar : IAsyncDisposable
{
    public const string InMemoryComponents = """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: statestore
        spec:
          type: state.in-memory
          version: v1
          metadata:
            - name: actorStateStore
              value: "true"
        ---
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: pubsub
        spec:
          type: pubsub.in-memory
          version: v1
        """;

    private readonly TempFolder _resources;

    private TestSidecar(SidecarRuntime runtime, TempFolder resources)
    {
        Runtime = runtime;
        _resources = resources;
        Clients = runtime.Apps.All.Select(i => TestHttp.Client(new Uri($"http://127.0.0.1:{i.SidecarHttpPort}/"))).ToList();
    }

    public SidecarRuntime Runtime { get; }

    /// <summary>One HttpClient per app instance, talking to that instance's sidecar port.</summary>
    public IReadOnlyList<HttpClient> Clients { get; }

    public HttpClient Client => Clients[0];

    public static Task<TestSidecar> StartAsync(string appId = "app", TestApp? app = null, string components = InMemoryComponents,
        params (string Name, string Yaml)[] extraFiles) =>
        StartAsync([(appId, app)], components, null, extraFiles);

    public static Task<TestSidecar> StartAsync(IReadOnlyList<(string AppId, TestApp? App)> apps, string components = InMemoryComponents,
        Func<SidecarSetup, SidecarSetup>? adjust = null, params (string Name, string Yaml)[] extraFiles) =>
        StartWithPortsAsync(apps.Select(a => (a.AppId, a.App?.Port)).ToList(), components, adjust, true, extraFiles);

    public static async Task<TestSidecar> StartWithPortsAsync(IReadOnlyList<(string AppId, int? AppPort)> apps, string components = InMemoryComponents,
        Func<SidecarSetup, SidecarSetup>? adjust = null, bool waitForApps = true, params (string Name, string Yaml)[] extraFiles)
    {
        var resources = new TempFolder();
        File.WriteAllText(Path.Combine(resources.Path, "components.yaml"), components);
        foreach (var (name, yaml) in extraFiles)
        {
            File.WriteAllText(Path.Combine(resources.Path, name), yaml);
        }
        var specs = apps.Select(a => new AppSpec(a.AppId, null, a.AppPort, null, null, new Dictionary<string, string>(),
            [resources.Path], null, null)).ToList();
        var command = new SidecarCommand(specs, LogLevel.Warning, SidecarCommand.DefaultMaxRequestBodyBytes, []);
        var runtime = await SidecarRuntime.StartAsync(command, setup =>
        {
            var shortened = setup with
            {
                Delivery = new DeliveryPolicy(3, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)),
                HealthProbeInterval = TimeSpan.FromMilliseconds(100),
            };
            return adjust?.Invoke(shortened) ?? shortened;
        });
        var sidecar = new TestSidecar(runtime, resources);
        if (waitForApps)
        {
            await sidecar.WaitUntilSubscribedAsync();
        }
        return sidecar;
    }

    /// <summary>Waits until every instance with an app is healthy and its subscriptions are in place.</summary>
    public async Task WaitUntilSubscribedAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        foreach (var instance in Runtime.Apps.All)
        {
            while (!instance.IsHealthy && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            while (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
                await Runtime.Subscriptions.WhenSubscribed(instance);
                if (instance.IsHealthy)
                {
                    break;
                }
            }
        }
    }

    public Task<HttpResponseMessage> PublishAsync(string topic, object payload, int instance = 0) =>
        Clients[instance].PostAsJsonAsync($"v1.0/publish/pubsub/{topic}", payload);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Clients)
        {
            client.Dispose();
        }
        await Runtime.DisposeAsync();
        _resources.Dispose();
    }
}
