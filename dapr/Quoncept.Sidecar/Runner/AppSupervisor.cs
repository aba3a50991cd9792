using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Runner;

/// <summary>
/// Starts the run file's app commands once the sidecar API listens and keeps them running as a process
/// manager would: an app that exits on its own is reported, taken out of placement and subscriptions (its
/// actors go to the other hosts of their type, or wait for it), and started again after a back-off
/// (<see cref="RestartPolicy"/>); once it answers on its port again its actors are placed on it again. An
/// app that keeps exiting is in a crash loop: reported once and left stopped. On stop, each app gets
/// SIGTERM and time to finish. (With real Dapr on Kubernetes, restarting pods is Kubernetes' job.)
/// </summary>
internal sealed class AppSupervisor(
    AppRegistry apps,
    Hosting.SidecarSetup setup,
    IReadOnlyDictionary<string, AppSpec> specsByInstance,
    IHostApplicationLifetime lifetime,
    ILogger<AppSupervisor> logger) : IHostedService
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, AppProcess> _processes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _exits = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();

    /// <summary>Raised after an app was started again (the tests and the fault harness wait on it).</summary>
    public event Action<AppInstance, int>? Restarted;

    /// <summary>The process id of the instance's current process, or null when none runs.</summary>
    public int? ProcessIdOf(AppInstance instance)
    {
        lock (_gate)
        {
            return _processes.TryGetValue(instance.InstanceId, out var process) && process.ExitCode is null ? process.Id : null;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(StartApps);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        List<AppProcess> processes;
        lock (_gate)
        {
            _stopping.Cancel();
            processes = [.. _processes.Values];
        }
        foreach (var process in processes)
        {
            apps.SetHealth(process.Instance, AppHealth.Gone);
        }
        await Task.WhenAll(processes.Select(p => p.StopAsync(StopGrace)));
    }

    /// <summary><c>POST /v1.0/shutdown</c> from one instance.</summary>
    public async Task ShutdownAsync(AppInstance instance)
    {
        AppProcess? process;
        lock (_gate)
        {
            process = _processes.GetValueOrDefault(instance.InstanceId);
        }
        if (process is null || apps.All.Count == 1)
        {
            logger.LogInformation("shutdown requested by {Instance}: stopping the runtime", instance.InstanceId);
            lifetime.StopApplication();
            return;
        }
        logger.LogInformation("shutdown requested by {Instance}: stopping that app (it is not restarted)", instance.InstanceId);
        apps.SetHealth(instance, AppHealth.Gone);
        await process.StopAsync(StopGrace);
    }

    private void StartApps()
    {
        if (setup.Restarts.MaxRestarts > 0)
        {
            logger.LogInformation("apps that exit are restarted after {Backoff:0.###}s, doubling; more than {Max} exits of one app within {Window:0.###}s is a crash loop and stops its restarts",
                setup.Restarts.InitialBackoff.TotalSeconds, setup.Restarts.MaxRestarts, setup.Restarts.Window.TotalSeconds);
        }
        foreach (var instance in apps.All)
        {
            if (specsByInstance.TryGetValue(instance.InstanceId, out var spec) && spec.Command is not null)
            {
                Launch(instance, spec, restart: 0);
            }
        }
    }

    private void Launch(AppInstance instance, AppSpec spec, int restart)
    {
        try
        {
            AppProcess process;
            lock (_gate)
            {
                if (_stopping.IsCancellationRequested || instance.Health == AppHealth.Gone)
                {
                    return;
                }
                process = AppProcess.Start(spec, instance, setup.ApiToken);
                _processes[instance.InstanceId] = process;
            }
            logger.LogInformation("{Verb} app {Instance} (pid {Pid}): {Command} (DAPR_HTTP_PORT={SidecarPort}, DAPR_GRPC_PORT={GrpcPort}, APP_PORT={AppPort})",
                restart == 0 ? "started" : "restarted", instance.InstanceId, process.Id, string.Join(' ', spec.Command!),
                instance.SidecarHttpPort, instance.SidecarGrpcPort, instance.AppPort);
            if (restart > 0)
            {
                Restarted?.Invoke(instance, process.Id);
            }
            _ = WatchExitAsync(process, spec);
        }
        catch (CommandLineException error)
        {
            logger.LogError("{Error}", error.Message);
            apps.SetHealth(instance, AppHealth.Gone);
        }
    }

    private async Task WatchExitAsync(AppProcess process, AppSpec spec)
    {
        await process.Exited;
        var instance = process.Instance;
        if (instance.Health == AppHealth.Gone || _stopping.IsCancellationRequested)
        {
            return;
        }
        // Out of placement and subscriptions at once: its actors are placed again when it answers again.
        apps.SetHealth(instance, AppHealth.Unhealthy);
        var policy = setup.Restarts;
        var exits = RecordExit(instance, policy.Window);
        if (policy.MaxRestarts == 0)
        {
            logger.LogError("app {Instance} (pid {Pid}) exited with code {Code}; it is not restarted (--max-restarts 0)", instance.InstanceId, process.Id, process.ExitCode);
            apps.SetHealth(instance, AppHealth.Gone);
            return;
        }
        if (policy.IsCrashLoop(exits))
        {
            logger.LogError("app {Instance} is in a crash loop: it exited {Exits} times within {Window:0.###}s (last exit code {Code}); it is not restarted any more " +
                "(--max-restarts {Max}). Fix it and restart the runtime; the other apps keep running.",
                instance.InstanceId, exits, policy.Window.TotalSeconds, process.ExitCode, policy.MaxRestarts);
            apps.SetHealth(instance, AppHealth.Gone);
            return;
        }
        var delay = policy.BackoffAfter(exits);
        logger.LogWarning("app {Instance} (pid {Pid}) exited with code {Code}; restarting it in {Delay:0.###}s ({Exits} of at most {Max} restarts within {Window:0.###}s)",
            instance.InstanceId, process.Id, process.ExitCode, delay.TotalSeconds, exits, policy.MaxRestarts, policy.Window.TotalSeconds);
        // Starting again: actor calls wait for it (as for an app still starting) instead of failing at once.
        apps.SetHealth(instance, AppHealth.Starting);
        try
        {
            await Task.Delay(delay, setup.Time, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        Launch(instance, spec, exits);
    }

    /// <summary>Remembers an exit; returns how many exits of this instance fall inside the window.</summary>
    private int RecordExit(AppInstance instance, TimeSpan window)
    {
        var now = setup.Time.GetUtcNow();
        lock (_gate)
        {
            if (!_exits.TryGetValue(instance.InstanceId, out var exits))
            {
                _exits[instance.InstanceId] = exits = new Queue<DateTimeOffset>();
            }
            exits.Enqueue(now);
            while (exits.Count > 0 && now - exits.Peek() > window)
            {
                exits.Dequeue();
            }
            return exits.Count;
        }
    }
}
