using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quoncept.Sidecar.Actors;
using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.Runner;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Actors;

/// <summary>
/// The real runtime (daprd-flag style app specs, one sidecar port per app instance) in process, with
/// an actor state store: in-memory, or a SQLite file that outlives the runtime.
/// </summary>
internal sealed class ActorSidecarHarness : IAsyncDisposable
{
    private readonly string _resources;

    private ActorSidecarHarness(SidecarRuntime runtime, string resources)
    {
        Runtime = runtime;
        _resources = resources;
    }

    public SidecarRuntime Runtime { get; }

    public ActorHosts Hosts => Runtime.App.Services.GetRequiredService<ActorHosts>();

    public ActorActivations Activations => Runtime.App.Services.GetRequiredService<ActorActivations>();

    public static async Task<ActorSidecarHarness> StartAsync(IEnumerable<TestActorApp?> apps, string? sqliteFile = null, string[]? appIds = null)
    {
        var resources = Directory.CreateTempSubdirectory("actors-res-").FullName;
        var yaml = "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\nspec:\n"
            + $"  type: {(sqliteFile is null ? "state.in-memory" : "state.sqlite")}\n  version: v1\n  metadata:\n"
            + "  - name: actorStateStore\n    value: \"true\"\n"
            + (sqliteFile is null ? "" : $"  - name: connectionString\n    value: \"{sqliteFile}\"\n");
        await File.WriteAllTextAsync(Path.Combine(resources, "statestore.yaml"), yaml);
        var list = apps.ToList();
        var specs = list.Select((app, i) => new AppSpec(
            appIds?[i] ?? app?.Name ?? $"caller-{i}", null, app?.Port, null, null,
            new Dictionary<string, string>(), [resources], null, null)).ToList();
        var command = new SidecarCommand(specs, LogLevel.Warning, SidecarCommand.DefaultMaxRequestBodyBytes, []);
        var runtime = await SidecarRuntime.StartAsync(command, s => s with { HealthProbeInterval = TimeSpan.FromMilliseconds(100) });
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is { } app)
            {
                app.SidecarPort = runtime.Apps.All[i].SidecarHttpPort;
            }
        }
        return new ActorSidecarHarness(runtime, resources);
    }

    /// <summary>An HTTP client whose calls arrive on instance <paramref name="index"/>'s sidecar port.</summary>
    public HttpClient Client(int index) =>
        TestHttp.Client(new Uri($"http://127.0.0.1:{Runtime.Apps.All[index].SidecarHttpPort}/"), TimeSpan.FromSeconds(30));

    /// <summary>Waits until <paramref name="count"/> hosts serve <paramref name="actorType"/>.</summary>
    public async Task WaitForHostsAsync(string actorType, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (Hosts.Placement.HostsOf(actorType).Count() != count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"expected {count} hosts of {actorType}, have {Hosts.Placement.HostsOf(actorType).Count()}");
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        try
        {
            Directory.Delete(_resources, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
