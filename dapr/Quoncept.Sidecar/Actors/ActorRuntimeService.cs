using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Actors.Reminders;

namespace Quoncept.Sidecar.Actors;

/// <summary>
/// Runs the actor runtime with the host: follows apps as they become actor hosts or leave (rebalancing
/// activations and loading the reminders of newly hosted types), scans for idle actors, and on stop
/// deactivates what is still active.
/// </summary>
internal sealed class ActorRuntimeService(ActorHosts hosts, ActorActivations activations, ReminderService reminders) : IHostedService
{
    private static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _stopping = new();
    private Task _idleScanner = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        hosts.PlacementChanged += OnPlacementChanged;
        hosts.Start();
        _idleScanner = activations.RunIdleScannerAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        hosts.Stop();
        hosts.PlacementChanged -= OnPlacementChanged;
        await _stopping.CancelAsync();
        reminders.Stop();
        await _idleScanner;
        await activations.DeactivateAllAsync(ShutdownBudget);
    }

    private void OnPlacementChanged(ActorHost host)
    {
        activations.Rebalance();
        if (ReferenceEquals(hosts.Find(host.HostId), host))
        {
            _ = reminders.OnHostJoinedAsync(host);
        }
    }
}
