using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Runner;

/// <summary>
/// Starts the run file's app commands once the sidecar API listens, reports (never hides) an app that
/// exits, and on stop sends each app SIGTERM and waits for it. Nothing is restarted.
/// </summary>
internal sealed class AppSupervisor(
    AppRegistry apps,
    Hosting.SidecarSetup setup,
    IReadOnlyDictionary<string, AppSpec> specsByInstance,
    IHostApplicationLifetime lifetime,
    ILogger<AppSupervisor> logger) : IHostedService
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly List<AppProcess> _processes = [];
    private readonly Lock _gate = new();

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
            processes = [.. _processes];
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
            process = _processes.FirstOrDefault(p => p.Instance == instance);
        }
        if (process is null || apps.All.Count == 1)
        {
            logger.LogInformation("shutdown requested by {Instance}: stopping the runtime", instance.InstanceId);
            lifetime.StopApplication();
            return;
        }
        logger.LogInformation("shutdown requested by {Instance}: stopping that app", instance.InstanceId);
        apps.SetHealth(instance, AppHealth.Gone);
        await process.StopAsync(StopGrace);
    }

    private void StartApps()
    {
        foreach (var instance in apps.All)
        {
            if (!specsByInstance.TryGetValue(instance.InstanceId, out var spec) || spec.Command is null)
            {
                continue;
            }
            try
            {
                var process = AppProcess.Start(spec, instance, setup.ApiToken);
                lock (_gate)
                {
                    _processes.Add(process);
                }
                logger.LogInformation("started app {Instance}: {Command} (DAPR_HTTP_PORT={SidecarPort}, DAPR_GRPC_PORT={GrpcPort}, APP_PORT={AppPort})",
                    instance.InstanceId, string.Join(' ', spec.Command), instance.SidecarHttpPort, instance.SidecarGrpcPort, instance.AppPort);
                _ = WatchExitAsync(process);
            }
            catch (CommandLineException error)
            {
                logger.LogError("{Error}", error.Message);
                apps.SetHealth(instance, AppHealth.Gone);
            }
        }
    }

    private async Task WatchExitAsync(AppProcess process)
    {
        await process.Exited;
        if (process.Instance.Health == AppHealth.Gone)
        {
            return;
        }
        logger.LogError("app {Instance} exited with code {Code}; it is not restarted (the other apps keep running, Ctrl-C stops all)",
            process.Instance.InstanceId, process.ExitCode);
        apps.SetHealth(process.Instance, AppHealth.Gone);
    }
}
