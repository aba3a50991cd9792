using Quoncept.Dapr.Actors;
using Quoncept.Dapr.Actors.Runtime;

namespace Quoncept.Dapr.Testing;

/// <summary>The test host's scheduler: remembers reminders and timers with their next due time on the host's fake clock.</summary>
internal sealed class TestActorTimerManager(Func<DateTimeOffset> now) : IActorTimerManager
{
    private readonly Dictionary<(string Type, string Id, string Name), Scheduled> _reminders = new();
    private readonly Dictionary<(string Type, string Id, string Name), Scheduled> _timers = new();

    public IReadOnlyList<ActorReminder> Reminders
    {
        get
        {
            lock (_reminders)
            {
                return _reminders.Values.Select(s => (ActorReminder)s.Item).ToList();
            }
        }
    }

    public IReadOnlyList<ActorTimer> Timers
    {
        get
        {
            lock (_reminders)
            {
                return _timers.Values.Select(s => (ActorTimer)s.Item).ToList();
            }
        }
    }

    public Task RegisterReminderAsync(ActorReminder reminder, CancellationToken cancellationToken)
    {
        lock (_reminders)
        {
            _reminders[(reminder.ActorType, reminder.ActorId.GetId(), reminder.Name)] = new Scheduled(reminder, now() + reminder.DueTime, reminder.Period);
        }

        return Task.CompletedTask;
    }

    public Task<IActorReminder?> GetReminderAsync(string actorType, ActorId actorId, string name, CancellationToken cancellationToken)
    {
        lock (_reminders)
        {
            return Task.FromResult(_reminders.TryGetValue((actorType, actorId.GetId(), name), out var s) ? (IActorReminder?)s.Item : null);
        }
    }

    public Task UnregisterReminderAsync(string actorType, ActorId actorId, string name, CancellationToken cancellationToken)
    {
        lock (_reminders)
        {
            _reminders.Remove((actorType, actorId.GetId(), name));
        }

        return Task.CompletedTask;
    }

    public Task RegisterTimerAsync(ActorTimer timer, CancellationToken cancellationToken)
    {
        lock (_reminders)
        {
            _timers[(timer.ActorType, timer.ActorId.GetId(), timer.Name)] = new Scheduled(timer, now() + timer.DueTime, timer.Period);
        }

        return Task.CompletedTask;
    }

    public Task UnregisterTimerAsync(string actorType, ActorId actorId, string name, CancellationToken cancellationToken)
    {
        lock (_reminders)
        {
            _timers.Remove((actorType, actorId.GetId(), name));
        }

        return Task.CompletedTask;
    }

    /// <summary>Timers die with their activation, as in Dapr.</summary>
    public void DropTimers(string actorType, string actorId)
    {
        lock (_reminders)
        {
            foreach (var key in _timers.Keys.Where(k => k.Type == actorType && k.Id == actorId).ToList())
            {
                _timers.Remove(key);
            }
        }
    }

    public object? Find(bool reminder, string actorType, string actorId, string name)
    {
        lock (_reminders)
        {
            return (reminder ? _reminders : _timers).TryGetValue((actorType, actorId, name), out var s) ? s.Item : null;
        }
    }

    /// <summary>Called after a fire: one-shots are removed, periodic ones move to their next due time.</summary>
    public void AfterFire(bool reminder, string actorType, string actorId, string name, object item)
    {
        lock (_reminders)
        {
            var table = reminder ? _reminders : _timers;
            var key = (actorType, actorId, name);
            if (!table.TryGetValue(key, out var s) || !ReferenceEquals(s.Item, item))
            {
                return; // re-registered or removed by the callback itself
            }

            if (DaprDuration.IsOneShot(s.Period))
            {
                table.Remove(key);
            }
            else
            {
                table[key] = s with { NextDue = s.NextDue + s.Period };
            }
        }
    }

    /// <summary>The earliest reminder or timer due at or before <paramref name="until"/>.</summary>
    public (bool Reminder, object Item, DateTimeOffset Due)? NextDue(DateTimeOffset until)
    {
        lock (_reminders)
        {
            var candidates = _reminders.Values.Select(s => (Reminder: true, s.Item, Due: s.NextDue))
                .Concat(_timers.Values.Select(s => (Reminder: false, s.Item, Due: s.NextDue)))
                .Where(c => c.Due <= until)
                .OrderBy(c => c.Due)
                .ToList();
            return candidates.Count == 0 ? null : candidates[0];
        }
    }

    private sealed record Scheduled(object Item, DateTimeOffset NextDue, TimeSpan Period);
}
