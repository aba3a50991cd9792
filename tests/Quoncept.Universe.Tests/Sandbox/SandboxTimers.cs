using Dapr.Actors.Runtime;

namespace Quoncept.Universe.Tests.Sandbox;

/// <summary>
/// The sandbox's <see cref="ActorTimerManager"/> (the SDK's extension point, given to actors through
/// <see cref="ActorTestOptions.TimerManager"/>): remembers reminders and timers with their next due
/// time on the fake clock; <see cref="ActorSandbox.AdvanceTimeAsync"/> fires what falls due.
/// A period of zero or less is a one-shot.
/// </summary>
internal sealed class SandboxTimers(SandboxClock clock) : ActorTimerManager
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Type, string Id, string Name), Scheduled> _reminders = new();
    private readonly Dictionary<(string Type, string Id, string Name), Scheduled> _timers = new();

    public IReadOnlyList<ActorReminder> Reminders
    {
        get { lock (_gate) return [.. _reminders.Values.Select(s => (ActorReminder)s.Item)]; }
    }

    public IReadOnlyList<ActorTimer> Timers
    {
        get { lock (_gate) return [.. _timers.Values.Select(s => (ActorTimer)s.Item)]; }
    }

    public override Task RegisterReminderAsync(ActorReminder reminder)
    {
        lock (_gate) _reminders[Key(reminder.ActorType, reminder.ActorId.GetId(), reminder.Name)] = new Scheduled(reminder, clock.Now + reminder.DueTime, reminder.Period);
        return Task.CompletedTask;
    }

    public override Task<IActorReminder> GetReminderAsync(ActorReminderToken reminder)
    {
        lock (_gate) return Task.FromResult(_reminders.TryGetValue(Key(reminder.ActorType, reminder.ActorId.GetId(), reminder.Name), out var s) ? (IActorReminder)s.Item : null!);
    }

    public override Task UnregisterReminderAsync(ActorReminderToken reminder)
    {
        lock (_gate) _reminders.Remove(Key(reminder.ActorType, reminder.ActorId.GetId(), reminder.Name));
        return Task.CompletedTask;
    }

    public override Task RegisterTimerAsync(ActorTimer timer)
    {
        lock (_gate) _timers[Key(timer.ActorType, timer.ActorId.GetId(), timer.Name)] = new Scheduled(timer, clock.Now + timer.DueTime, timer.Period);
        return Task.CompletedTask;
    }

    public override Task UnregisterTimerAsync(ActorTimerToken timer)
    {
        lock (_gate) _timers.Remove(Key(timer.ActorType, timer.ActorId.GetId(), timer.Name));
        return Task.CompletedTask;
    }

    /// <summary>Timers die with their activation, as in Dapr; reminders stay.</summary>
    public void DropTimers(string actorType, string actorId)
    {
        lock (_gate)
        {
            foreach (var key in _timers.Keys.Where(k => k.Type == actorType && k.Id == actorId).ToList()) _timers.Remove(key);
        }
    }

    /// <summary>The earliest reminder or timer due at or before <paramref name="until"/>.</summary>
    public (object Item, DateTimeOffset Due)? NextDue(DateTimeOffset until)
    {
        lock (_gate)
        {
            return _reminders.Values.Concat(_timers.Values)
                .Where(s => s.NextDue <= until)
                .OrderBy(s => s.NextDue)
                .Select(s => ((object Item, DateTimeOffset Due)?)(s.Item, s.NextDue))
                .FirstOrDefault();
        }
    }

    /// <summary>After a fire: a one-shot is gone, a periodic one is due again a period later (unless the callback replaced or removed it).</summary>
    public void AfterFire(object item)
    {
        lock (_gate)
        {
            var (table, key) = item switch
            {
                ActorReminder r => (_reminders, Key(r.ActorType, r.ActorId.GetId(), r.Name)),
                ActorTimer t => (_timers, Key(t.ActorType, t.ActorId.GetId(), t.Name)),
                _ => throw new ArgumentException("not a reminder or timer", nameof(item)),
            };
            if (!table.TryGetValue(key, out var s) || !ReferenceEquals(s.Item, item)) return;
            if (s.Period <= TimeSpan.Zero) table.Remove(key);
            else table[key] = s with { NextDue = s.NextDue + s.Period };
        }
    }

    private static (string, string, string) Key(string type, string id, string name) => (type, id, name);

    private sealed record Scheduled(object Item, DateTimeOffset NextDue, TimeSpan Period);
}
