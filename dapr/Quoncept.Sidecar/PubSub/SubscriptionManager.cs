using System.Collections.Concurrent;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.Hosting;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// Keeps each healthy app instance subscribed: when an instance becomes healthy it reads
/// <c>GET /dapr/subscribe</c> plus the declarative subscriptions scoped to the app, and subscribes
/// with consumer group <c>consumerID</c> (subscription metadata, else the pubsub component's, else
/// <c>{appID}</c>, so replicas of one app compete; <c>{uuid}</c> gives each replica its own group).
/// When an instance becomes unhealthy or goes away its subscriptions end, so the others take over.
/// </summary>
internal sealed class SubscriptionManager(SidecarSetup setup, ILogger<SubscriptionManager> logger) : IHostedService
{
    /// <summary>Deliveries in flight per subscription and instance (daprd delivers concurrently too).</summary>
    public const int ConcurrencyPerSubscription = 32;

    private readonly ConcurrentDictionary<AppInstance, InstanceSubscriptions> _active = new();
    private readonly Dictionary<AppInstance, Task> _transitions = [];
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// The subscriptions of an instance now in force, for the metadata API: a copy taken under the instance's lock,
    /// since they may still be being added while GET /v1.0/metadata reads them.
    /// </summary>
    public IReadOnlyList<SubscriptionSpec> SubscriptionsOf(AppInstance instance)
    {
        if (!_active.TryGetValue(instance, out var subscriptions)) return [];
        lock (subscriptions) return [.. subscriptions.Specs];
    }

    /// <summary>Completes when the instance's subscriptions are in place (tests and start-up logs wait on it).</summary>
    public Task WhenSubscribed(AppInstance instance) =>
        _active.TryGetValue(instance, out var subscriptions) ? subscriptions.Ready.Task : Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        setup.Apps.AppHealthy += OnHealthy;
        setup.Apps.AppUnavailable += OnUnavailable;
        foreach (var instance in setup.Apps.All.Where(i => i.IsHealthy))
        {
            OnHealthy(instance);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        setup.Apps.AppHealthy -= OnHealthy;
        setup.Apps.AppUnavailable -= OnUnavailable;
        await _stopping.CancelAsync();
        foreach (var instance in _active.Keys.ToList())
        {
            OnUnavailable(instance);
        }
        Task[] pending;
        lock (_transitions)
        {
            pending = [.. _transitions.Values];
        }
        await Task.WhenAll(pending);
    }

    // Health events arrive synchronously; the work runs in the background but in order per instance:
    // a subscribe that follows an unsubscribe waits for that teardown, so a quick unhealthy → healthy
    // flip never leaves an instance without its subscriptions.
    private void OnHealthy(AppInstance instance)
    {
        var subscriptions = new InstanceSubscriptions();
        Task previous;
        lock (_transitions)
        {
            if (!_active.TryAdd(instance, subscriptions))
            {
                return;
            }
            previous = _transitions.GetValueOrDefault(instance, Task.CompletedTask);
            _transitions[instance] = RunAfter(previous, () => SubscribeAsync(instance, subscriptions));
        }
    }

    private void OnUnavailable(AppInstance instance)
    {
        lock (_transitions)
        {
            if (!_active.TryRemove(instance, out var subscriptions))
            {
                return;
            }
            lock (subscriptions)
            {
                subscriptions.Ended = true;
            }
            var previous = _transitions.GetValueOrDefault(instance, Task.CompletedTask);
            _transitions[instance] = RunAfter(previous, () => EndAsync(instance, subscriptions));
        }
    }

    // Each transition logs its own failure; a failed one must not keep the next (a teardown above all) from running.
    private async Task RunAfter(Task previous, Func<Task> next)
    {
        try
        {
            await previous;
        }
        catch (Exception error)
        {
            logger.LogDebug(error, "an earlier subscription transition failed");
        }
        await Task.Run(next);
    }

    private async Task SubscribeAsync(AppInstance instance, InstanceSubscriptions subscriptions)
    {
        try
        {
            var specs = setup.DeclarativeSubscriptions.Where(s => s.Scopes.Count == 0 || s.Scopes.Contains(instance.AppId)).ToList();
            specs.AddRange(await DiscoverAsync(instance));
            foreach (var spec in specs)
            {
                var component = setup.Components.PubSubs.FirstOrDefault(p => p.Definition.Name == spec.PubSubName && p.Definition.IsVisibleTo(instance.AppId));
                if (component is null)
                {
                    logger.LogError("{Origin}: pubsub {PubSub} is not found for app {AppId}; subscription to {Topic} not loaded",
                        spec.Origin, spec.PubSubName, instance.AppId, spec.Topic);
                    continue;
                }
                var group = ConsumerGroup(instance, spec, component.Definition);
                var bulk = spec.Bulk is { } options ? new BulkDelivery(instance, spec, options, setup.Delivery.AttemptTimeout, logger) : null;
                var delivery = new TopicDelivery(instance, spec, component.Instance, setup.Delivery, setup.Time, logger, bulk);
                // A bulk subscription reads its topic with one loop, so events are batched in topic order; the bulk
                // delivery keeps enough of them in flight to fill a batch.
                // A broker that acknowledges on completion runs the deliveries itself, in topic order.
                var broker = component.Instance.AcknowledgesOnCompletion;
                var handler = bulk is null || broker ? delivery.HandleAsync : bulk.Admitting(delivery.HandleAsync);
                var concurrency = bulk is null ? ConcurrencyPerSubscription : broker ? 2 * spec.Bulk!.MaxMessagesCount : 1;
                bool ended;
                lock (subscriptions)
                {
                    ended = subscriptions.Ended;
                    if (!ended)
                    {
                        subscriptions.Handles.Add(component.Instance.Subscribe(spec.Topic, group, handler, concurrency));
                        if (bulk is not null)
                        {
                            subscriptions.Handles.Add(bulk);
                        }
                        subscriptions.Specs.Add(spec);
                    }
                }
                if (ended)
                {
                    if (bulk is not null)
                    {
                        await bulk.DisposeAsync();
                    }
                    return;
                }
                logger.LogInformation("app {Instance} subscribed to {PubSub}/{Topic} (consumer group {Group}{Bulk})", instance.InstanceId, spec.PubSubName, spec.Topic, group,
                    spec.Bulk is { } bulkOptions ? $", bulk {bulkOptions.MaxMessagesCount}/{bulkOptions.MaxAwaitDurationMs}ms" : "");
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The runtime stops while the app is still asked for its subscriptions: nothing to subscribe to any more.
        }
        catch (Exception error)
        {
            logger.LogError(error, "subscribing app {Instance} failed", instance.InstanceId);
        }
        finally
        {
            subscriptions.Ready.TrySetResult();
        }
    }

    private async Task<IReadOnlyList<SubscriptionSpec>> DiscoverAsync(AppInstance instance)
    {
        if (instance.Channel is not { } channel)
        {
            return [];
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            using var response = await channel.GetAsync("dapr/subscribe", timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return [];
            }
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            if (body.Length == 0)
            {
                return [];
            }
            var (accepted, rejected) = ProgrammaticSubscriptions.Parse(body, instance.AppId);
            foreach (var reason in rejected)
            {
                logger.LogError("app {Instance}: subscription rejected: {Reason}", instance.InstanceId, reason);
            }
            return accepted;
        }
        catch (Exception error) when (error is HttpRequestException || (error is OperationCanceledException && !_stopping.IsCancellationRequested))
        {
            logger.LogWarning("app {Instance}: GET /dapr/subscribe failed ({Error}); no programmatic subscriptions", instance.InstanceId, error.Message);
            return [];
        }
    }

    /// <summary>Expands the consumerID template: <c>{appID}</c>, <c>{uuid}</c>, <c>{podName}</c>, <c>{namespace}</c>.</summary>
    internal string ConsumerGroup(AppInstance instance, SubscriptionSpec spec, ComponentDefinition pubsub)
    {
        var template = spec.Metadata.GetValueOrDefault("consumerID") ?? pubsub.Metadata.GetValueOrDefault("consumerID") ?? "{appID}";
        return template
            .Replace("{appID}", instance.AppId, StringComparison.Ordinal)
            .Replace("{uuid}", setup.InstanceUuids.GetValueOrDefault(instance.InstanceId, instance.InstanceId), StringComparison.Ordinal)
            .Replace("{podName}", instance.InstanceId, StringComparison.Ordinal)
            .Replace("{namespace}", "default", StringComparison.Ordinal);
    }

    private async Task EndAsync(AppInstance instance, InstanceSubscriptions subscriptions)
    {
        List<IAsyncDisposable> handles;
        lock (subscriptions)
        {
            handles = [.. subscriptions.Handles];
            subscriptions.Handles.Clear();
        }
        foreach (var handle in handles)
        {
            await handle.DisposeAsync();
        }
        if (handles.Count > 0)
        {
            logger.LogInformation("app {Instance}: {Count} subscription(s) ended", instance.InstanceId, subscriptions.Specs.Count);
        }
    }

    private sealed class InstanceSubscriptions
    {
        public List<IAsyncDisposable> Handles { get; } = [];

        public List<SubscriptionSpec> Specs { get; } = [];

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Ended { get; set; }
    }
}
