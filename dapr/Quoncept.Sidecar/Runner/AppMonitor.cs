using System.Net.Sockets;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.Tracing;

namespace Quoncept.Sidecar.Runner;

/// <summary>
/// Watches each app instance's port as daprd waits for its app: an instance is healthy once its port
/// accepts connections (and its health path, if one is configured, answers 2xx); three failed probes in
/// a row make it unhealthy; it becomes healthy again when probes pass. Instances without an app port
/// are healthy from the start.
/// </summary>
internal sealed class AppMonitor(AppRegistry apps, SidecarSetup setup, ILogger<AppMonitor> logger) : BackgroundService
{
    /// <summary>Failed probes in a row that make a healthy app unhealthy (daprd's default appHealthThreshold).</summary>
    public const int FailuresBeforeUnhealthy = 3;

    /// <summary>How long one probe may take (daprd's default appHealthProbeTimeout is 500ms; a cold .NET app needs more).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(apps.All.Select(instance => WatchAsync(instance, stoppingToken)));

    private async Task WatchAsync(AppInstance instance, CancellationToken stop)
    {
        if (instance.AppPort is null)
        {
            apps.SetHealth(instance, AppHealth.Healthy);
            return;
        }
        var failures = 0;
        var waitingSince = setup.Time.GetUtcNow();
        var lastNotice = waitingSince;
        try
        {
            while (!stop.IsCancellationRequested && instance.Health != AppHealth.Gone)
            {
                var ok = await ProbeAsync(instance, stop);
                if (ok)
                {
                    failures = 0;
                    if (instance.Health != AppHealth.Healthy)
                    {
                        logger.LogInformation("app {Instance} is healthy", instance);
                        apps.SetHealth(instance, AppHealth.Healthy);
                    }
                }
                else if (instance.Health == AppHealth.Healthy && ++failures >= FailuresBeforeUnhealthy)
                {
                    logger.LogWarning("app {Instance} stopped answering on port {Port}: unhealthy", instance.InstanceId, instance.AppPort);
                    apps.SetHealth(instance, AppHealth.Unhealthy);
                }
                else if (instance.Health == AppHealth.Starting && setup.Time.GetUtcNow() - lastNotice > TimeSpan.FromSeconds(10))
                {
                    lastNotice = setup.Time.GetUtcNow();
                    logger.LogInformation("still waiting for app {Instance} to listen on port {Port} ({Seconds:0}s)",
                        instance.InstanceId, instance.AppPort, (lastNotice - waitingSince).TotalSeconds);
                }
                var interval = instance.Health == AppHealth.Healthy ? setup.HealthProbeInterval : TimeSpan.FromMilliseconds(50);
                await Task.Delay(interval, setup.Time, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> ProbeAsync(AppInstance instance, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            if (setup.HealthCheckPaths.TryGetValue(instance.InstanceId, out var path) && instance.Channel is { } channel)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Options.Set(TracingSetup.Untraced, true);
                request.Options.Set(AppChannel.HealthProbe, true);
                using var response = await channel.SendAsync(request, timeout.Token);
                return response.IsSuccessStatusCode;
            }
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, instance.AppPort!.Value, timeout.Token);
            return true;
        }
        catch (Exception error) when (error is SocketException or HttpRequestException or OperationCanceledException && !stop.IsCancellationRequested)
        {
            return false;
        }
    }
}
