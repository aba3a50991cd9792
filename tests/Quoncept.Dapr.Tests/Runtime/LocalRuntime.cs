using Quoncept.Sidecar.Runner;
using System.Net;
using System.Net.Sockets;
using Quoncept.Dapr.Actors;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.TestApp;

namespace Quoncept.Dapr.Tests.Runtime;

/// <summary>
/// The local Dapr runtime (dapr/Quoncept.Sidecar, daprd flags) and a real app process (Quoncept.Dapr.TestApp) beside it,
/// both started from this test's output folder on free ports, with a SQLite actor state store and in-memory pub/sub
/// in a temp folder. The app can be killed and started again; the sidecar and the store stay.
/// </summary>
public sealed class LocalRuntime : IAsyncLifetime
{
    public const string AppId = "daprlib-test";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "quoncept-daprlib-" + Guid.NewGuid().ToString("N"));
    private ChildProcess? _sidecar;
    private ChildProcess? _app;

    private readonly (int Sidecar, int App) _ports = TwoFreePorts();

    public int SidecarPort => _ports.Sidecar;

    public int AppPort => _ports.App;

    public DaprClient Client { get; private set; } = null!;

    public IActorProxyFactory Proxies { get; private set; } = null!;

    public string SidecarEndpoint => $"http://127.0.0.1:{SidecarPort}";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "resources"));
        File.WriteAllText(Path.Combine(_folder, "resources", "statestore.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.sqlite
              version: v1
              metadata:
                - name: connectionString
                  value: "{Path.Combine(_folder, "state.db")}"
                - name: actorStateStore
                  value: "true"
            """);
        File.WriteAllText(Path.Combine(_folder, "resources", "pubsub.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.in-memory
              version: v1
            """);

        _sidecar = ChildProcess.StartDotnet("local runtime", Path.Combine(AppContext.BaseDirectory, "Quoncept.Sidecar.dll"),
            ["--app-id", AppId, "--app-port", AppPort.ToString(), "--dapr-http-port", SidecarPort.ToString(),
             "--resources-path", Path.Combine(_folder, "resources"), "--log-level", "warn"],
            new Dictionary<string, string>());
        Client = new DaprClientBuilder().UseHttpEndpoint(SidecarEndpoint).UseDaprApiToken(null).Build();
        Proxies = new ActorProxyFactory(new ActorProxyOptions { HttpEndpoint = SidecarEndpoint, DaprApiToken = null, RequestTimeout = TimeSpan.FromSeconds(15) });
        await StartAppAsync();
    }

    /// <summary>Starts the app process and waits until the sidecar routes actor calls to it; returns its process id.</summary>
    public async Task<int> StartAppAsync()
    {
        _app?.Dispose();
        _app = ChildProcess.StartDotnet("test app", Path.Combine(AppContext.BaseDirectory, "Quoncept.Dapr.TestApp.dll"), [],
            new Dictionary<string, string>
            {
                ["APP_PORT"] = AppPort.ToString(),
                ["DAPR_HTTP_PORT"] = SidecarPort.ToString(),
                ["Logging__LogLevel__Default"] = "Warning",
            });
        var probe = Proxies.CreateActorProxy<ILedgerActor>(new ActorId("probe"), "LedgerActor");
        var deadline = DateTime.UtcNow + StartTimeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_app.HasExited || _sidecar!.HasExited)
            {
                break;
            }

            try
            {
                var pid = await probe.ProcessIdAsync();
                if (pid == _app.Id)
                {
                    return pid;
                }
            }
            catch (Exception ex) when (ex is DaprException or HttpRequestException or OperationCanceledException)
            {
                last = ex;
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"The test app did not come up behind the local runtime within {StartTimeout.TotalSeconds}s (last error: {last?.Message}).\n{Diagnostics()}");
    }

    public void KillApp() => _app?.Kill();

    public string Diagnostics() => $"{_sidecar?.Tail()}\n{_app?.Tail()}";

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with both processes' output when it never does.</summary>
    public async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Timed out waiting for: {what}\n{Diagnostics()}");
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        _app?.Dispose();
        _sidecar?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>Two ports from the runtime's own allocator: never handed out twice, never in the ephemeral range.</summary>
    private static (int, int) TwoFreePorts() => (FreePort.Next(), FreePort.Next());
}
