using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Dapr.Actors.Runtime;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Metrics;

namespace Quoncept.ServiceDefaults.Actors;

/// <summary>
/// Base of the universe's actors: decide -> record event -> save -> publish, with a
/// transactional outbox so that an event is never published before the state change that made
/// it is saved, and never lost after.
/// <list type="bullet">
/// <item>A turn records its events into <c>state.Outbox</c> (same object, same transaction as the change), calls
/// <see cref="CommitAsync"/>: save now, then publish in order. The turn answers once the save is done: the change is
/// acknowledged by the store, as with Dapr's own outbox, and its events go out behind it, after those of the turns
/// before (each turn's publish waits for the previous one), so a caller does not wait for the broker.</item>
/// <item>Published events are remembered in memory and dropped from the outbox by the next save,
/// so a turn costs one state write. Deactivation waits for the publishes under way but does not save: after a
/// rebalance the actor may already run elsewhere, and a late save from here could overwrite newer state.</item>
/// <item>A publish failure keeps the events and registers the <see cref="OutboxReminder"/>, which retries every
/// few seconds until the outbox is empty; new events queue behind older ones, so order holds.</item>
/// <item>On activation (after a crash, a restart or idling out) the events of the last saved turn are
/// still in the saved outbox and in doubt, so they are published again: delivery is at least once,
/// and consumers drop repeats by EventId (system events also by their per-system sequence number).</item>
/// </list>
/// </summary>
public abstract class OutboxActor<TState> : Actor, IRemindable
    where TState : class, IOutboxState, new()
{
    public const string StateKey = "state";
    public const string OutboxReminder = "outbox";
    public static readonly TimeSpan OutboxRetryPeriod = TimeSpan.FromSeconds(5);

    private readonly EventPublisher _publisher;
    private readonly HashSet<string> _publishedUnsaved = new(StringComparer.Ordinal);
    private bool _retryScheduled;
    private Task _publishing = Task.CompletedTask;

    protected OutboxActor(ActorHost host, EventPublisher publisher, TimeProvider clock)
        : base(host)
    {
        _publisher = publisher;
        Clock = clock;
    }

    protected TimeProvider Clock { get; }

    protected long NowUnixMs => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The saved state (a new one for an actor that never saved).</summary>
    protected async Task<TState> LoadAsync()
    {
        var stored = await StateManager.TryGetStateAsync<TState>(StateKey).ConfigureAwait(false);
        return stored.HasValue ? stored.Value : new TState();
    }

    /// <summary>
    /// Saves <paramref name="state"/> (with its new outbox entries), then publishes the outbox in the background.
    /// Returns once the state is saved. The previous turn's publish is awaited first: it is then known which events
    /// the saved outbox can drop, and the events of two turns are never sent at once, so they go out in order.
    /// </summary>
    protected async Task CommitAsync(TState state)
    {
        await _publishing.ConfigureAwait(false);
        DropPublished(state);
        await StateManager.SetStateAsync(StateKey, state).ConfigureAwait(false);
        var saving = Stopwatch.GetTimestamp();
        var saved = false;
        try
        {
            await StateManager.SaveStateAsync().ConfigureAwait(false);
            saved = true;
        }
        finally
        {
            ServiceMetrics.StateSaved(Host.ActorTypeInfo.ActorTypeName, saving, failed: !saved);
        }
        if (state.Outbox.Count > 0)
        {
            // A copy: the next turn changes the list while this one is still being published.
            _publishing = _publisher.Track(PublishInBackgroundAsync([.. state.Outbox]));
        }
    }

    private async Task PublishInBackgroundAsync(IReadOnlyList<UniverseEvent> outbox)
    {
        // Off the turn: the caller has its answer once the state is saved.
        await Task.Yield();
        try
        {
            await PublishOutboxAsync(outbox).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // The events stay in the saved outbox: the next turn's publish, the retry reminder or the next activation sends them.
            Logger.LogError(error, "{Actor} {Id}: publishing the outbox failed", Host.ActorTypeInfo.ActorTypeName, Id);
        }
    }

    protected override async Task OnActivateAsync()
    {
        ServiceMetrics.ActorActivated(Host.ActorTypeInfo.ActorTypeName);
        var stored = await StateManager.TryGetStateAsync<TState>(StateKey).ConfigureAwait(false);
        if (stored.HasValue && stored.Value.Outbox.Count > 0)
        {
            Logger.LogInformation("{Actor} {Id}: publishing {Count} in-doubt event(s) left in the saved outbox", Host.ActorTypeInfo.ActorTypeName, Id, stored.Value.Outbox.Count);
            await PublishOutboxAsync(stored.Value.Outbox).ConfigureAwait(false);
        }
    }

    protected override Task OnDeactivateAsync() => _publishing;

    public async Task ReceiveReminderAsync(string reminderName, byte[] state, TimeSpan dueTime, TimeSpan period)
    {
        if (reminderName != OutboxReminder)
        {
            await OnReminderAsync(reminderName, state).ConfigureAwait(false);
            return;
        }

        await _publishing.ConfigureAwait(false);
        var current = await LoadAsync().ConfigureAwait(false);
        _retryScheduled = true;
        if (await PublishOutboxAsync(current.Outbox).ConfigureAwait(false))
        {
            DropPublished(current);
            await StateManager.SetStateAsync(StateKey, current).ConfigureAwait(false);
            await StateManager.SaveStateAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reminders other than the outbox's.</summary>
    protected abstract Task OnReminderAsync(string reminderName, byte[] state);

    private void DropPublished(TState state)
    {
        if (_publishedUnsaved.Count > 0)
        {
            state.Outbox.RemoveAll(e => _publishedUnsaved.Contains(e.EventId));
            _publishedUnsaved.Clear();
        }
    }

    /// <returns>True when the whole outbox is published.</returns>
    private async Task<bool> PublishOutboxAsync(IReadOnlyList<UniverseEvent> outbox)
    {
        var pending = outbox.Where(e => !_publishedUnsaved.Contains(e.EventId)).ToList();
        var published = await _publisher.PublishAsync(pending, CancellationToken.None).ConfigureAwait(false);
        for (var i = 0; i < published; i++)
        {
            _publishedUnsaved.Add(pending[i].EventId);
        }

        if (published == pending.Count)
        {
            if (_retryScheduled)
            {
                await UnregisterReminderAsync(OutboxReminder).ConfigureAwait(false);
                _retryScheduled = false;
            }

            return true;
        }

        if (!_retryScheduled)
        {
            await RegisterReminderAsync(OutboxReminder, null, OutboxRetryPeriod, OutboxRetryPeriod).ConfigureAwait(false);
            _retryScheduled = true;
        }

        return false;
    }
}
