using System.Collections.Concurrent;
using Quoncept.Sidecar.Actors.Api;
using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Actors.Timers;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Actors.Reminders;

/// <summary>
/// Persistent reminders (https://docs.dapr.io/developing-applications/building-blocks/actors/actors-timers-reminders/#actor-reminders):
/// saved in the actor state store before the API answers, loaded again when a host for the type joins
/// (so they outlive the runtime), fired through the actor's placement and turns as
/// <c>PUT /actors/{type}/{id}/method/remind/{name}</c>. A reminder whose type has no live host waits for one.
/// A type whose hosts announce <c>remindersStoragePartitions</c> keeps its reminders in that many partitions
/// (the largest any host asks for, at most <see cref="ReminderKeys.MaxPartitions"/>), see <see cref="ReminderStore"/>.
/// </summary>
internal sealed class ReminderService(
    ComponentRegistry components, ActorHosts hosts, ActorInvoker invoker, TimeProvider time, ILogger<ReminderService> logger)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private const int FireAttempts = 3;

    private readonly ConcurrentDictionary<string, ReminderTypeState> _types = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Loads the reminders of every type the joining host serves (once per type).</summary>
    public async Task OnHostJoinedAsync(ActorHost host)
    {
        var store = components.FindActorStateStore(host.Instance.AppId);
        if (store is null)
        {
            logger.LogWarning("{Host} hosts actors but no state store with actorStateStore: \"true\" is visible to it: reminders and actor state are unavailable", host.HostId);
            return;
        }
        foreach (var type in host.Config.Entities)
        {
            var requested = host.Config.For(type).RemindersStoragePartitions;
            if (requested != ClampPartitions(requested))
            {
                logger.LogWarning("{Host} asks for remindersStoragePartitions {Requested} for actor type {Type}; using {Used} (allowed: 0 to {Max})",
                    host.HostId, requested, type, ClampPartitions(requested), ReminderKeys.MaxPartitions);
            }
            try
            {
                await GetLoadedAsync(type, store, _stopping.Token);
            }
            catch (Exception error) when (error is FormatException or System.Text.Json.JsonException or DaprApiException)
            {
                logger.LogError("reminders of actor type {Type} could not be loaded: {Error}", type, error.Message);
            }
        }
    }

    public async Task CreateAsync(IStateStore store, ActorKey key, string name, ScheduleRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        ActorSchedule schedule;
        try
        {
            schedule = ActorSchedule.Parse(request.DueTime, request.Period, request.Ttl, now);
        }
        catch (FormatException error)
        {
            throw ActorErrors.Malformed(error.Message, error);
        }
        var reminder = new ActorReminder(key, name, request.Data, request.DueTime ?? "", request.Period ?? "", request.Ttl,
            now, schedule.ExpiresAt, schedule.DueAt, schedule.Period.Repetitions);
        var state = await GetLoadedAsync(key.Type, store, cancellationToken);
        await state.UpdateAsync(reminder.Actor, name, reminder, cancellationToken);
        Schedule(state, reminder);
    }

    public async Task<ActorReminder?> GetAsync(IStateStore store, ActorKey key, string name, CancellationToken cancellationToken)
    {
        var state = await GetLoadedAsync(key.Type, store, cancellationToken);
        return state.Find(key, name);
    }

    public async Task DeleteAsync(IStateStore store, ActorKey key, string name, CancellationToken cancellationToken)
    {
        var state = await GetLoadedAsync(key.Type, store, cancellationToken);
        await state.UpdateAsync(key, name, null, cancellationToken);
    }

    public void Stop()
    {
        _stopping.Cancel();
        foreach (var state in _types.Values)
        {
            state.StopAll();
        }
    }

    private async Task<ReminderTypeState> GetLoadedAsync(string actorType, IStateStore store, CancellationToken cancellationToken)
    {
        var state = _types.GetOrAdd(actorType, type => new ReminderTypeState(new ReminderStore(store, type, logger)));
        if (await state.EnsureLoadedAsync(WantedPartitions(actorType), cancellationToken) is { } loaded)
        {
            foreach (var reminder in loaded)
            {
                Schedule(state, reminder);
            }
            logger.LogInformation("loaded {Count} reminders of actor type {Type}", loaded.Count, actorType);
        }
        return state;
    }

    /// <summary>daprd takes any integer; here a negative count means none and a huge one is capped.</summary>
    internal static int ClampPartitions(int requested) => Math.Clamp(requested, 0, ReminderKeys.MaxPartitions);

    private int WantedPartitions(string actorType) => hosts.All
        .Where(h => h.Config.Hosts(actorType))
        .Select(h => ClampPartitions(h.Config.For(actorType).RemindersStoragePartitions))
        .DefaultIfEmpty(0)
        .Max();

    private void Schedule(ReminderTypeState state, ActorReminder reminder)
    {
        var run = state.Track(reminder, _stopping.Token);
        _ = Task.Run(() => RunAsync(state, reminder, run.Token));
    }

    private async Task RunAsync(ReminderTypeState state, ActorReminder reminder, CancellationToken token)
    {
        try
        {
            while (true)
            {
                var wait = reminder.NextFire - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, token);
                }
                var schedule = reminder.Schedule;
                if (schedule.ExpiresAt is { } expires && time.GetUtcNow() > expires)
                {
                    await state.CompleteAsync(reminder, null, token);
                    return;
                }
                var cancelledByApp = await FireAsync(reminder, token);
                var remaining = reminder.Remaining > 0 ? reminder.Remaining - 1 : reminder.Remaining;
                var next = cancelledByApp ? null : schedule.Next(reminder.NextFire, remaining, time.GetUtcNow());
                var updated = next is { } at ? reminder with { NextFire = at, Remaining = remaining } : null;
                if (!await state.CompleteAsync(reminder, updated, token) || updated is null)
                {
                    return;
                }
                reminder = updated;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            logger.LogError(error, "reminder {Name} of actor {Actor} stopped", reminder.Name, reminder.Actor);
        }
    }

    /// <summary>Fires once (retrying a failed call twice); true when the app asked to cancel the reminder.</summary>
    private async Task<bool> FireAsync(ActorReminder reminder, CancellationToken token)
    {
        var call = new ActorCall(reminder.Actor, "remind/" + Uri.EscapeDataString(reminder.Name), reminder.CallbackBody(), "application/json");
        for (var attempt = 1; ; attempt++)
        {
            await hosts.WaitUntilHostedAsync(reminder.Actor.Type, token);
            try
            {
                // The run's token (cancelled when the reminder is removed) stops the fire only until the app has it.
                using var response = await invoker.InvokeAsync(call, _stopping.Token, untilDelivered: token);
                await ActorInvoker.EnsureSuccessAsync(response, call.MethodPath, _stopping.Token);
                return ActorTimerService.IsTruthy(response, ActorTimerService.CancelHeader);
            }
            catch (DaprApiException error) when (attempt < FireAttempts)
            {
                logger.LogWarning("reminder {Name} of actor {Actor} failed (attempt {Attempt}), retrying: {Error}", reminder.Name, reminder.Actor, attempt, error.Message);
                await Task.Delay(RetryDelay, time, token);
            }
            catch (DaprApiException error)
            {
                logger.LogError("reminder {Name} of actor {Actor} failed {Attempts} times; moving on: {Error}", reminder.Name, reminder.Actor, attempt, error.Message);
                return false;
            }
        }
    }
}
