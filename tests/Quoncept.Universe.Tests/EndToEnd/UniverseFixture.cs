using System.Diagnostics;
using System.Text;
using Quoncept.Client;

namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>
/// The whole universe, started once per test class through the local runtime: sessions,
/// characters, systems, the chat log and TWO gateway replicas on free ports, in-memory state and pub/sub in a
/// temporary folder, a short grace period and a small per-connection queue so that the grace and
/// slow-consumer scenarios run in seconds. With <c>QUONCEPT_E2E_PROFILE=redis|nats|postgres</c> it runs on that
/// components profile instead (components/NAME/), its servers started as <c>./run.sh --profile NAME</c> starts them.
/// Gateway A also serves browsers on <see cref="WebA"/> (WebSocket, gRPC-Web and the page from client/web,
/// which ./test.sh prepares). A persistent universe keeps its state in a SQLite file (the embedded default) and can be
/// restarted whole (<see cref="RestartAsync"/>).
/// </summary>
public class UniverseFixture : IAsyncLifetime
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan BrowserHelloTimeout = TimeSpan.FromSeconds(2);

    /// <summary>A page origin gateway A lets open its WebSocket besides its own.</summary>
    public const string AllowedOrigin = "http://allowed.test:8080";
    public const int OutboundQueueCapacity = 64;
    private readonly StringBuilder _log = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("quoncept-e2e-").FullName;
    private readonly UniverseOptions _options;
    private Process? _runtime;
    private ProfileServers? _servers;
    private int[] _ports = [];

    public UniverseFixture() : this(new UniverseOptions())
    {
    }

    protected UniverseFixture(bool persistent) : this(new UniverseOptions(Persistent: persistent))
    {
    }

    internal UniverseFixture(UniverseOptions options) => _options = options;

    /// <summary>The runtime's metrics port (run file <c>metricsPort</c>): Prometheus text at /metrics.</summary>
    public int RuntimeMetricsPort { get; private set; }

    /// <summary>Every app instance's HTTP port (each serves /metrics there), by instance name.</summary>
    public IReadOnlyDictionary<string, int> AppPorts { get; private set; } = new Dictionary<string, int>();

    public string SigningKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));

    public Uri GatewayA { get; private set; } = null!;

    /// <summary>The chat log's app port: GET /chatlog.</summary>
    public Uri Chatlog { get; private set; } = null!;

    public Uri GatewayB { get; private set; } = null!;

    /// <summary>Gateway A's web port: ws://.../ws, gRPC-Web, the page.</summary>
    public Uri WebA { get; private set; } = null!;
    public QuonceptClient A { get; private set; } = null!;
    public QuonceptClient B { get; private set; } = null!;
    public TestUsers Users { get; } = new();

    /// <summary>The runtime's and the apps' output so far, for failure messages.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    public async Task InitializeAsync()
    {
        // The profile's servers first: dapr/profile-servers.sh picks its own free ports, and one taken after them
        // cannot be theirs (taken before, an app's port could be given to redis-server too, as a test run here did).
        if (ProfileServers.RequestedProfile is { } profile)
        {
            _servers = await ProfileServers.StartAsync(profile, _dir);
            Append(_servers.Log);
        }
        var ports = _ports = FreePorts.Take(10);
        RuntimeMetricsPort = ports[7];
        AppPorts = new Dictionary<string, int>
        {
            ["sessions"] = ports[4], ["characters"] = ports[5], ["systems"] = ports[6], ["gateway-1"] = ports[2], ["gateway-2"] = ports[3],
            ["chatlog"] = ports[9],
        };
        Chatlog = new Uri($"http://127.0.0.1:{ports[9]}");
        (GatewayA, GatewayB) = (new Uri($"http://127.0.0.1:{ports[0]}"), new Uri($"http://127.0.0.1:{ports[1]}"));
        WebA = new Uri($"http://127.0.0.1:{ports[8]}");
        WriteFiles(ports);
        await StartAsync();
        A = new QuonceptClient(GatewayA);
        B = new QuonceptClient(GatewayB);
    }

    /// <summary>Stops every process of the universe (SIGTERM, as Ctrl-C would) and starts them again on the same ports and state.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    private async Task StartAsync()
    {
        var gatewayAppPorts = new[] { _ports[2], _ports[3] };
        var sidecar = RepoPaths.AppDll("dapr/Quoncept.Sidecar", "Quoncept.Sidecar");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var a in new[] { sidecar, "run", "-f", Path.Combine(_dir, "dapr.yaml") }) info.ArgumentList.Add(a);
        info.Environment["Quoncept__Jwt__SigningKey"] = SigningKey;
        info.Environment["Quoncept__Sessions__GracePeriod"] = GracePeriod.ToString("c");
        info.Environment["Quoncept__Gateway__OutboundQueueCapacity"] = OutboundQueueCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Quoncept__Gateway__TerminateWriteTimeout"] = "00:00:30";
        foreach (var (name, value) in _servers?.Environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        foreach (var (key, value) in _options.Environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        _runtime = Process.Start(info)!;
        _runtime.OutputDataReceived += (_, e) => Append(e.Data);
        _runtime.ErrorDataReceived += (_, e) => Append(e.Data);
        _runtime.BeginOutputReadLine();
        _runtime.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        foreach (var appPort in gatewayAppPorts)
        {
            while (true)
            {
                if (_runtime.HasExited) throw new InvalidOperationException($"the local runtime exited with {_runtime.ExitCode}:\n{Log}");
                if (deadline.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException($"the universe was not ready after 90 s:\n{Log}");
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{appPort}/healthz/ready"));
                    if (response.IsSuccessStatusCode) break;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                await Task.Delay(250);
            }
        }
    }

    public async Task DisposeAsync()
    {
        A?.Dispose();
        B?.Dispose();
        await StopAsync();
        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StopAsync()
    {
        if (_runtime is { HasExited: false } runtime)
        {
            using (var term = Process.Start("kill", ["-TERM", runtime.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            try
            {
                await runtime.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
                runtime.Kill(entireProcessTree: true);
            }
        }
        _runtime?.Dispose();
        _runtime = null;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            if (_log.Length < 2_000_000) _log.AppendLine(line);
            // QUONCEPT_E2E_LOG=path keeps the runtime's and the apps' output of the run.
            if (Environment.GetEnvironmentVariable("QUONCEPT_E2E_LOG") is { Length: > 0 } path) File.AppendAllText(path, line + Environment.NewLine);
        }
    }

    /// <summary>A run file like dapr/dapr.yaml, with absolute paths, free ports and two gateway replicas.</summary>
    private void WriteFiles(int[] ports)
    {
        var components = ProfileServers.RequestedProfile is { } profile ? Path.Combine(RepoPaths.Root, "components", profile) : Path.Combine(_dir, "components");
        Directory.CreateDirectory(components);
        if (ProfileServers.RequestedProfile is null) WriteEmbeddedComponents(components);
        string App(string appId, string project, string assembly, int appPort, params (string Key, string Value)[] env)
        {
            var dll = RepoPaths.AppDll(project, assembly);
            var lines = new StringBuilder()
                .AppendLine($"  - appID: {appId}")
                .AppendLine($"    appDirPath: {Path.Combine(RepoPaths.Root, project)}")
                .AppendLine($"    appPort: {appPort}")
                .AppendLine($"    metricsPort: {ports[7]}")
                .AppendLine($"    command: [\"dotnet\", \"{dll}\"]")
                .AppendLine("    env:");
            foreach (var (k, v) in env.Append(("ASPNETCORE_URLS", $"http://127.0.0.1:{appPort}"))) lines.AppendLine($"      {k}: \"{v}\"");
            return lines.ToString();
        }
        var run = new StringBuilder()
            .AppendLine("version: 1")
            .AppendLine("common:")
            .AppendLine($"  resourcesPath: {components}");
        if (_options.ZipkinEndpoint is { } zipkin)
        {
            // Dapr's tracing configuration for the runtime, and the same endpoint and rate for the apps (as dapr/dapr.yaml does).
            var rate = _options.SamplingRate.ToString(System.Globalization.CultureInfo.InvariantCulture);
            File.WriteAllText(Path.Combine(_dir, "config.yaml"), $$"""
                apiVersion: dapr.io/v1alpha1
                kind: Configuration
                metadata:
                  name: quoncept
                spec:
                  tracing:
                    samplingRate: "{{rate}}"
                    zipkin:
                      endpointAddress: "{{zipkin}}"
                """);
            run.AppendLine($"  configFilePath: {Path.Combine(_dir, "config.yaml")}")
                .AppendLine("  env:")
                .AppendLine($"    Quoncept__Tracing__ZipkinEndpoint: \"{zipkin}\"")
                .AppendLine($"    Quoncept__Tracing__SamplingRate: \"{rate}\"");
        }
        run
            .AppendLine("apps:")
            .Append(App("sessions", "services/Quoncept.Sessions", "Quoncept.Sessions", ports[4]))
            .Append(App("characters", "services/Quoncept.Characters", "Quoncept.Characters", ports[5]))
            .Append(App("systems", "services/Quoncept.Systems", "Quoncept.Systems", ports[6]))
            .Append(App("chatlog", "services/Quoncept.Chatlog", "Quoncept.Chatlog", ports[9]))
            .Append(App("gateway", "services/Quoncept.Gateway", "Quoncept.Gateway", ports[2], ("Quoncept__Gateway__Port", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Quoncept__Gateway__WebPort", ports[8].ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Quoncept__Gateway__Browser__WebRoot", Path.Combine(RepoPaths.Root, "client/web")),
                ("Quoncept__Gateway__Browser__AllowedOrigins__0", AllowedOrigin),
                ("Quoncept__Gateway__Browser__HelloTimeout", BrowserHelloTimeout.ToString("c"))))
            .Append(App("gateway", "services/Quoncept.Gateway", "Quoncept.Gateway", ports[3], ("Quoncept__Gateway__Port", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture))));
        File.WriteAllText(Path.Combine(_dir, "dapr.yaml"), run.ToString());
    }

    private void WriteEmbeddedComponents(string components)
    {
        File.WriteAllText(Path.Combine(components, "statestore.yaml"), _options.Persistent
            ? $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.sqlite
              version: v1
              metadata:
                - name: connectionString
                  value: "{Path.Combine(_dir, "state.db")}"
                - name: actorStateStore
                  value: "true"
            """
            : """
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
            """);
        File.WriteAllText(Path.Combine(components, "pubsub.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.in-memory
              version: v1
            """);
    }
}
