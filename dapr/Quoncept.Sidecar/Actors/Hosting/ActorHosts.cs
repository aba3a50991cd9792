using System.Collections.Concurrent;
using Quoncept.Sidecar.Actors.Placement;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Actors.Hosting;

/// <summary>
/// The live actor hosts and the placement over them. An app instance becomes a host when it turns
/// healthy and its <c>GET /dapr/config</c> names actor types; it stops being one when it turns
/// unhealthy or goes away. Every change raises <see cref="PlacementChanged"/> so activations can be
/// rebalanced and reminders of newly hosted types loaded.
/// </summary>
internal sealed class ActorHosts(AppRegistry apps, ILogger<ActorHosts> logger)
{
    private static readonly TimeSpan ConfigTimeout = TimeSpan.FromSeconds(10);
    private const int ConfigAttempts = 5;

    private readonly PlacementTable _placement = new();
    private readonly ConcurrentDictionary<string, ActorHost> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _registering = new(StringComparer.Ordinal);
    private readonly HashSet<string> _registerAgain = new(StringComparer.Ordinal);
    // Joins and leaves change the live hosts and the placement together, so a lookup never names a host that is not live.
    private readonly Lock _membership = new();
    // The types each host served when it left: calls for them wait while it may come back (restarting, unhealthy).
    private readonly ConcurrentDictionary<string, IReadOnlyCollection<string>> _departed = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Raised after every placement change, with the host that joined or left.</summary>
    public event Action<ActorHost>? PlacementChanged;

    public PlacementTable Placement => _placement;

    public IEnumerable<ActorHost> All => _hosts.Values;

    public ActorHost? Find(string hostId) => _hosts.GetValueOrDefault(hostId);

    /// <summary>The host the actor lives on, or null when no live host serves the type.</summary>
    public ActorHost? Locate(string actorType, string actorId) =>
        _placement.Lookup(actorType, actorId) is { } hostId ? _hosts.GetValueOrDefault(hostId) : null;

    /// <summary>The host entry of the app instance a request came from, if it hosts actors.</summary>
    public ActorHost? HostOf(AppInstance instance) => _hosts.GetValueOrDefault(instance.InstanceId);

    public void Start()
    {
        apps.AppHealthy += OnHealthy;
        apps.AppUnavailable += OnUnavailable;
        foreach (var instance in apps.All.Where(i => i.IsHealthy))
        {
            OnHealthy(instance);
        }
    }

    public void Stop()
    {
        apps.AppHealthy -= OnHealthy;
        apps.AppUnavailable -= OnUnavailable;
    }

    /// <summary>Registers an instance now (what the health event does); completes when it is placed.</summary>
    public Task RegisterAsync(AppInstance instance)
    {
        if (instance.Channel is null)
        {
            return Task.CompletedTask;
        }
        Task<Task> start;
        lock (_registering)
        {
            if (_registering.TryGetValue(instance.InstanceId, out var running))
            {
                // The one under way may have judged the health before this change: it runs once more before it ends.
                _registerAgain.Add(instance.InstanceId);
                return running;
            }
            start = new Task<Task>(() => RegisterAndSignalAsync(instance));
            _registering[instance.InstanceId] = start.Unwrap();
        }
        start.Start(TaskScheduler.Default);
        return start.Unwrap();
    }

    /// <summary>
    /// Waits until <paramref name="actorType"/> has a live host, as long as some app is still starting
    /// or announcing its types (daprd waits for placement the same way); false when none will come.
    /// </summary>
    public async Task<bool> WaitForTypeAsync(string actorType, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (!_placement.IsTypeHosted(actorType))
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (IsRegistering || apps.All.Any(i => i.Health == AppHealth.Starting && i.Channel is not null) || MayComeBack(actorType))
            {
                try
                {
                    await changed.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return false;
                }
                continue;
            }
            return false;
        }
        return true;
    }

    /// <summary>Waits, as long as it takes, until some live host serves <paramref name="actorType"/>.</summary>
    public async Task WaitUntilHostedAsync(string actorType, CancellationToken cancellationToken)
    {
        while (!_placement.IsTypeHosted(actorType))
        {
            await Volatile.Read(ref _changed).Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The host refused a connection: nothing of the call reached it (its process is gone or stopping), so
    /// it leaves placement now rather than after the health checks notice; it rejoins when it answers again.
    /// </summary>
    public void ReportUnreachable(ActorHost host, string reason)
    {
        if (host.Instance.IsHealthy && _hosts.ContainsKey(host.HostId))
        {
            logger.LogWarning("actor host {Host} is not reachable ({Reason}): out of placement until it answers again", host.HostId, reason);
            apps.SetHealth(host.Instance, AppHealth.Unhealthy);
        }
    }

    /// <summary>True while a host that served <paramref name="actorType"/> is away but not gone for good.</summary>
    private bool MayComeBack(string actorType) =>
        apps.All.Any(i => i.Health is AppHealth.Unhealthy or AppHealth.Starting
            && _departed.TryGetValue(i.InstanceId, out var types) && types.Contains(actorType));

    private void OnHealthy(AppInstance instance) => _ = RegisterAsync(instance);

    private void OnUnavailable(AppInstance instance)
    {
        ActorHost? host;
        lock (_membership)
        {
            // Healthy again already (a probe passed while a refused call marked it unhealthy): its join found it still
            // placed and left it be, so it stays.
            if (instance.IsHealthy || !_hosts.TryGetValue(instance.InstanceId, out host))
            {
                return;
            }
            // Lookups take no lock: out of placement first, then out of the live hosts, as a join goes the other way round.
            _departed[instance.InstanceId] = host.Config.Entities;
            _placement.RemoveHost(instance.InstanceId);
            _hosts.TryRemove(instance.InstanceId, out _);
        }
        logger.LogInformation("actor host {Host} left: {Types} rebalanced over the remaining hosts", host.HostId, string.Join(", ", host.Config.Entities));
        Signal();
        PlacementChanged?.Invoke(host);
    }

    private bool IsRegistering
    {
        get
        {
            lock (_registering)
            {
                return _registering.Count > 0;
            }
        }
    }

    private async Task RegisterAndSignalAsync(AppInstance instance)
    {
        do
        {
            try
            {
                await RegisterCoreAsync(instance);
            }
            catch (Exception error)
            {
                // Nobody awaits this task (the health event starts it): a failure is logged, and a run asked for meanwhile still runs.
                logger.LogError(error, "placing {Instance} as an actor host failed", instance);
            }
        }
        while (!TryFinishRegistering(instance.InstanceId));
        Signal();
    }

    private bool TryFinishRegistering(string instanceId)
    {
        lock (_registering)
        {
            if (_registerAgain.Remove(instanceId))
            {
                return false;
            }
            _registering.Remove(instanceId);
            return true;
        }
    }

    private async Task RegisterCoreAsync(AppInstance instance)
    {
        if (await ReadConfigAsync(instance) is not { } config)
        {
            return;
        }
        if (config.Entities.Count == 0)
        {
            if (instance.IsHealthy) _departed.TryRemove(instance.InstanceId, out _); // it says it hosts none now: nothing to wait for
            return;
        }
        var host = new ActorHost(instance, config);
        lock (_membership)
        {
            // Health is set before AppUnavailable is raised, and the leave takes this lock: a host that turns unhealthy
            // now is either not added or removed right after, never left in placement without being live.
            if (!instance.IsHealthy)
            {
                return;
            }
            if (_hosts.ContainsKey(instance.InstanceId))
            {
                return; // placed by the run before this one, and live since (a leave would have removed it)
            }
            _hosts[instance.InstanceId] = host;
            _placement.SetHost(instance.InstanceId, config.Entities);
            _departed.TryRemove(instance.InstanceId, out _);
        }
        logger.LogInformation("actor host {Host} joined with {Types}", host.HostId, string.Join(", ", config.Entities));
        Signal();
        PlacementChanged?.Invoke(host);
    }

    /// <summary>
    /// Asks the app for its actor types, retrying a few times while it is still warming up (no answer,
    /// or a 5xx); null when it cannot tell or answered nonsense (then it hosts no actors).
    /// </summary>
    private async Task<ActorHostConfig?> ReadConfigAsync(AppInstance instance)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(ConfigTimeout);
                return await ActorAppChannel.GetConfigAsync(instance, timeout.Token);
            }
            catch (FormatException error)
            {
                logger.LogError("{Instance} announced an invalid actor configuration, it hosts no actors: {Reason}", instance, error.Message);
                return null;
            }
            catch (Exception error) when (error is HttpRequestException or OperationCanceledException or AppConfigUnavailableException)
            {
                if (attempt >= ConfigAttempts || !instance.IsHealthy)
                {
                    logger.LogWarning("could not read /dapr/config from {Instance}, it hosts no actors until it is healthy again: {Reason}", instance, error.Message);
                    return null;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    private void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
