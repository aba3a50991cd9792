using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Quoncept.Faults.Universe;

/// <summary>
/// The whole system through the local runtime on free ports (sessions, characters, systems and
/// <see cref="UniverseOptions.Gateways"/> gateway replicas; SQLite state in a temporary folder, so that
/// state outlives a killed runtime, and in-memory pub/sub; or a profile's components on its servers), with the handles a fault harness needs: the
/// process id of every app (from the runtime's "started app X (pid N)" lines), signals to one app, and
/// a SIGKILL of the runtime followed by what a process manager would do (kill what is left of its
/// processes, start it again on the same files).
/// </summary>
internal sealed partial class LocalUniverse : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int KeptLogLines = 4000;
    private readonly UniverseOptions _options;
    private readonly string _dir = Directory.CreateTempSubdirectory("quoncept-faults-").FullName;
    private readonly Queue<string> _log = new();
    private readonly Dictionary<string, int> _pids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Http, int Grpc)> _sidecars = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _joined = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly string _signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
    private Process? _runtime;
    private int[] _gatewayAppPorts = [];

    public LocalUniverse(UniverseOptions options) => _options = options;

    /// <summary>The gateways' client addresses (h2c), one per replica: gateway-1, gateway-2, ...</summary>
    public IReadOnlyList<Uri> Gateways { get; private set; } = [];

    /// <summary>The instance ids of the apps the runtime starts, as its log names them.</summary>
    public IReadOnlyList<string> Instances => [.. Services.SelectMany(_options.InstancesOf), .. Enumerable.Range(1, _options.Gateways).Select(GatewayInstance)];

    public static IReadOnlyList<string> Services { get; } = ["sessions", "characters", "systems"];

    public int? RuntimePid => _runtime is { HasExited: false } runtime ? runtime.Id : null;

    public static string GatewayInstance(int replica) => $"gateway-{replica}";

    /// <summary>The last lines the runtime and the apps wrote, for failure messages.</summary>
    public string RecentLog(int lines = 60)
    {
        lock (_gate) return string.Join(Environment.NewLine, _log.TakeLast(lines));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var services = 3 * _options.ServiceReplicas;
        var ports = Enumerable.Range(0, services + 2 * _options.Gateways).Select(_ => Quoncept.Sidecar.Runner.FreePort.Next()).ToArray();
        Gateways = ports.Take(_options.Gateways).Select(p => new Uri($"http://127.0.0.1:{p}")).ToArray();
        _gatewayAppPorts = ports.Skip(_options.Gateways).Take(_options.Gateways).ToArray();
        RunFiles.Write(_dir, ports[^services..], _options.ServiceReplicas, _gatewayAppPorts, ports[.._options.Gateways], _options.Profile);
        StartRuntime();
        await WaitReadyAsync(_options.StartTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The current process id of an app instance, or null when none is known to run.</summary>
    public int? PidOf(string instance)
    {
        lock (_gate) return _pids.TryGetValue(instance, out var pid) && IsAlive(pid) ? pid : null;
    }

    /// <summary>The ports of the sidecar APIs (HTTP, gRPC) the runtime serves for an app instance.</summary>
    public (int Http, int Grpc) SidecarOf(string instance)
    {
        lock (_gate) return _sidecars.TryGetValue(instance, out var ports) ? ports : throw new InvalidOperationException($"no sidecar ports logged for {instance}");
    }

    /// <summary>Sends SIGKILL or SIGTERM to one app; returns the pid signalled.</summary>
    public int Signal(string instance, bool kill)
    {
        var pid = PidOf(instance) ?? throw new InvalidOperationException($"{instance} is not running:\n{RecentLog()}");
        if (SendSignal(pid, kill ? SigKill : SigTerm) != 0) throw new InvalidOperationException($"kill({pid}) failed: {Marshal.GetLastWin32Error()}");
        return pid;
    }

    /// <summary>
    /// SIGKILL to the runtime itself, then what a process manager does: the apps it started (each in its own
    /// session) are killed too, as a control group would be, and the runtime is started again on the same files.
    /// </summary>
    public async Task KillAndRestartRuntimeAsync(CancellationToken cancellationToken)
    {
        var runtime = _runtime ?? throw new InvalidOperationException("not started");
        SendSignal(runtime.Id, SigKill);
        await runtime.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        int[] orphans;
        lock (_gate) orphans = [.. _pids.Values];
        foreach (var pid in orphans) SendSignal(pid, SigKill);
        var deadline = Stopwatch.StartNew();
        while (orphans.Any(IsAlive) && deadline.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        runtime.Dispose();
        lock (_gate) _pids.Clear();
        StartRuntime();
    }

    /// <summary>Waits until every gateway answers its readiness (every service reachable through it).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        foreach (var appPort in _gatewayAppPorts)
        {
            while (true)
            {
                if (_runtime is { HasExited: true } runtime) throw new InvalidOperationException($"the local runtime exited with {runtime.ExitCode}:\n{RecentLog()}");
                if (deadline.Elapsed > timeout) throw new TimeoutException($"the universe was not ready after {timeout.TotalSeconds:0} s:\n{RecentLog()}");
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{appPort}/healthz/ready"), cancellationToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode) break;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                }
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_runtime is { HasExited: false } runtime)
        {
            SendSignal(runtime.Id, SigTerm);
            try
            {
                await runtime.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                runtime.Kill(entireProcessTree: true);
            }
        }
        int[] left;
        lock (_gate) left = [.. _pids.Values];
        foreach (var pid in left.Where(IsAlive)) SendSignal(pid, SigKill);
        _runtime?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void StartRuntime()
    {
        var sidecar = RepoPaths.AppDll("dapr/Quoncept.Sidecar", "Quoncept.Sidecar");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var arg in new[] { sidecar, "run", "-f", Path.Combine(_dir, "dapr.yaml"), "--restart-backoff", $"{(int)_options.RestartBackoff.TotalMilliseconds}ms", "--max-restarts", "20" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["Quoncept__Jwt__SigningKey"] = _signingKey;
        info.Environment["Quoncept__Sessions__GracePeriod"] = _options.GracePeriod.ToString("c", CultureInfo.InvariantCulture);
        info.Environment["Quoncept__Tracing__SamplingRate"] = "0";
        foreach (var (key, value) in _options.Environment) info.Environment[key] = value;
        var runtime = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        runtime.OutputDataReceived += (_, e) => Append(e.Data);
        runtime.ErrorDataReceived += (_, e) => Append(e.Data);
        runtime.BeginOutputReadLine();
        runtime.BeginErrorReadLine();
        _runtime = runtime;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        var started = StartedApp().Match(line);
        var sidecar = SidecarPorts().Match(line);
        var joined = HostJoined().Match(line);
        lock (_gate)
        {
            if (joined.Success) _joined[joined.Groups[1].Value] = Stopwatch.GetTimestamp();
            if (started.Success) _pids[started.Groups[1].Value] = int.Parse(started.Groups[2].Value, CultureInfo.InvariantCulture);
            if (sidecar.Success)
            {
                _sidecars[sidecar.Groups[1].Value] = (int.Parse(sidecar.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(sidecar.Groups[3].Value, CultureInfo.InvariantCulture));
            }
            _log.Enqueue(line);
            if (_log.Count > KeptLogLines) _log.Dequeue();
        }
        _options.Log?.Invoke(line);
    }

    /// <summary>True when the runtime placed actors on the instance (it joined as an actor host) after a Stopwatch timestamp.</summary>
    public bool JoinedPlacementSince(string instance, long since)
    {
        lock (_gate) return _joined.TryGetValue(instance, out var at) && at > since;
    }

    private static bool IsAlive(int pid) => SendSignal(pid, 0) == 0;

    [GeneratedRegex(@"actor host (\S+) joined with")]
    private static partial Regex HostJoined();

    [GeneratedRegex(@"(?:started|restarted) app (\S+) \(pid (\d+)\)")]
    private static partial Regex StartedApp();

    [GeneratedRegex(@"sidecar for (\S+): HTTP API on http://127\.0\.0\.1:(\d+), gRPC API on http://127\.0\.0\.1:(\d+)")]
    private static partial Regex SidecarPorts();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
