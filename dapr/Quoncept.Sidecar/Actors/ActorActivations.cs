using System.Collections.Concurrent;
using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Metrics;

namespace Quoncept.Sidecar.Actors;

/// <summary>
/// The active actors: at most one activation per (type, id), on the host placement picks. Activation
/// happens on the first call (the app activates the object when it gets it); deactivation tells the
/// app with <c>DELETE /actors/{type}/{id}</c> after draining the call in progress, when the actor was
/// idle for actorIdleTimeout (checked every actorScanInterval), when placement moves it, or when its
/// host leaves.
/// </summary>
internal sealed class ActorActivations(ActorHosts hosts, TimeProvider time, ILogger<ActorActivations> logger)
{
    private static readonly TimeSpan DeactivateCallTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GoneHostCallTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxScannerTick = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<ActorKey, ActiveActor> _actors = new();

    public int Count => _actors.Count;

    public IEnumerable<ActiveActor> All => _actors.Values;

    /// <summary>How many actors of each type are active, for the metadata API.</summary>
    public IReadOnlyDictionary<string, int> CountsByType() =>
        _actors.Keys.GroupBy(k => k.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public ActiveActor? Find(ActorKey key) => _actors.GetValueOrDefault(key);

    public ActiveActor GetOrActivate(ActorKey key, ActorHost host)
    {
        if (_actors.TryGetValue(key, out var actor)) return actor;
        var activated = new ActiveActor(key, host, time.GetTimestamp());
        actor = _actors.GetOrAdd(key, activated);
        if (ReferenceEquals(actor, activated)) RuntimeMetrics.ActorActivated(key.Type);
        return actor;
    }

    /// <summary>
    /// Ends the activation once (later callers get the same task): closes its turn queue, waits for the
    /// call in progress when daprd would (drainRebalancedActors, up to drainOngoingCallTimeout), stops
    /// its timers, tells the app, and removes it from the table.
    /// </summary>
    public Task DeactivateAsync(ActiveActor actor, DeactivationReason reason)
    {
        if (!actor.TryBeginClose())
        {
            return actor.Deactivated;
        }
        return Task.Run(async () =>
        {
            try
            {
                var drained = actor.Turn.CloseAsync();
                actor.Timers.Close();
                if (reason is DeactivationReason.Rebalanced or DeactivationReason.Shutdown && actor.Options.DrainRebalancedActors)
                {
                    await WaitDrainedAsync(actor, drained, actor.Options.DrainOngoingCallTimeout);
                }
                else if (reason == DeactivationReason.Idle)
                {
                    await drained;
                }
                else if (reason == DeactivationReason.HostGone)
                {
                    // A host that refuses connections may be draining after SIGTERM, its turns under way still running:
                    // the actor is placed elsewhere only once they are over (a dead host's calls fail at once), so that
                    // it is never active on two hosts at once.
                    await WaitDrainedAsync(actor, drained, actor.Options.DrainOngoingCallTimeout);
                }
                var hostAlive = reason != DeactivationReason.HostGone && actor.Host.Instance.IsHealthy;
                using var timeout = new CancellationTokenSource(hostAlive ? DeactivateCallTimeout : GoneHostCallTimeout);
                await ActorAppChannel.DeactivateAsync(actor.Host, actor.Key.Type, actor.Key.Id, timeout.Token);
                logger.LogDebug("deactivated actor {Actor} on {Host} ({Reason})", actor.Key, actor.Host.HostId, reason);
            }
            catch (Exception error) when (error is HttpRequestException or OperationCanceledException)
            {
                var level = reason is DeactivationReason.HostGone or DeactivationReason.Shutdown ? LogLevel.Debug : LogLevel.Warning;
                logger.Log(level, "deactivating actor {Actor} on {Host} ({Reason}) failed: {Error}", actor.Key, actor.Host.HostId, reason, error.Message);
            }
            finally
            {
                _actors.TryRemove(new KeyValuePair<ActorKey, ActiveActor>(actor.Key, actor));
                actor.MarkDeactivated();
                RuntimeMetrics.ActorDeactivated(actor.Key.Type, reason switch
                {
                    DeactivationReason.Idle => "idle",
                    DeactivationReason.Rebalanced => "rebalanced",
                    DeactivationReason.HostGone => "host_gone",
                    _ => "shutdown",
                });
            }
        });
    }

    /// <summary>After a placement change: every actor not on its placed host anymore is deactivated there.</summary>
    public void Rebalance()
    {
        foreach (var actor in _actors.Values)
        {
            if (actor.IsClosing)
            {
                continue;
            }
            var placed = hosts.Locate(actor.Key.Type, actor.Key.Id);
            if (placed is null || placed.HostId != actor.Host.HostId || !ReferenceEquals(placed, actor.Host))
            {
                var gone = hosts.Find(actor.Host.HostId) is null;
                _ = DeactivateAsync(actor, gone ? DeactivationReason.HostGone : DeactivationReason.Rebalanced);
            }
        }
    }

    /// <summary>One idle scan: actors without a call for their actorIdleTimeout are deactivated.</summary>
    public int DeactivateIdle()
    {
        var deactivated = 0;
        foreach (var actor in _actors.Values)
        {
            if (!actor.IsClosing
                && time.GetElapsedTime(actor.LastUsedTimestamp) >= actor.Options.IdleTimeout
                && actor.Turn.TryCloseIfIdle())
            {
                _ = DeactivateAsync(actor, DeactivationReason.Idle);
                deactivated++;
            }
        }
        return deactivated;
    }

    /// <summary>
    /// Scans for idle actors every actorScanInterval (the shortest any host asked for); looks at the
    /// hosts at least every second so an interval announced later takes effect quickly.
    /// </summary>
    public async Task RunIdleScannerAsync(CancellationToken stoppingToken)
    {
        var lastScan = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            var interval = hosts.All.Select(h => h.Config.ScanInterval).DefaultIfEmpty(ActorHostConfig.None.ScanInterval).Min();
            try
            {
                await Task.Delay(interval < MaxScannerTick ? interval : MaxScannerTick, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (time.GetElapsedTime(lastScan) >= interval)
            {
                lastScan = time.GetTimestamp();
                DeactivateIdle();
            }
        }
    }

    /// <summary>Deactivates everything (the runtime stops), waiting at most <paramref name="budget"/>.</summary>
    public async Task DeactivateAllAsync(TimeSpan budget)
    {
        var all = _actors.Values.Select(a => DeactivateAsync(a, DeactivationReason.Shutdown)).ToArray();
        try
        {
            await Task.WhenAll(all).WaitAsync(budget);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("{Count} actors were still deactivating when the runtime stopped", all.Count(t => !t.IsCompleted));
        }
    }

    private async Task WaitDrainedAsync(ActiveActor actor, Task drained, TimeSpan timeout)
    {
        try
        {
            await drained.WaitAsync(timeout, time);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("actor {Actor}: the call in progress did not finish within drainOngoingCallTimeout {Timeout}; deactivating anyway", actor.Key, timeout);
        }
    }
}
