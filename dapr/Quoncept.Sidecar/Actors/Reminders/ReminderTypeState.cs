using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Actors.Reminders;

/// <summary>
/// The reminders of one actor type in memory, each with the cancellation of its running schedule.
/// Every change is saved (whole list, under one gate per type) before it counts.
/// </summary>
internal sealed class ReminderTypeState(ReminderStore store)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<(ActorKey Actor, string Name), Entry> _entries = [];
    private bool _loaded;

    /// <summary>Loads the stored list the first time; returns it then (to be scheduled), null afterwards.</summary>
    public async Task<List<ActorReminder>?> EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _loaded))
        {
            return null;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_loaded)
            {
                return null;
            }
            var stored = await store.LoadAsync(cancellationToken);
            foreach (var reminder in stored)
            {
                _entries[(reminder.Actor, reminder.Name)] = new Entry(reminder);
            }
            Volatile.Write(ref _loaded, true);
            return stored;
        }
        finally
        {
            _gate.Release();
        }
    }

    public ActorReminder? Find(ActorKey actor, string name)
    {
        lock (_entries)
        {
            return _entries.TryGetValue((actor, name), out var entry) ? entry.Reminder : null;
        }
    }

    /// <summary>Creates, replaces (<paramref name="reminder"/> set) or deletes (null) a reminder and saves.</summary>
    public async Task UpdateAsync(ActorKey actor, string name, ActorReminder? reminder, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            lock (_entries)
            {
                if (_entries.Remove((actor, name), out var previous))
                {
                    previous.Run?.Cancel();
                }
                if (reminder is not null)
                {
                    _entries[(actor, name)] = new Entry(reminder);
                }
            }
            await SaveAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Gives the reminder's schedule a cancellation; replacing or deleting the reminder cancels it.</summary>
    public CancellationTokenSource Track(ActorReminder reminder, CancellationToken stopping)
    {
        var run = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        lock (_entries)
        {
            if (_entries.TryGetValue((reminder.Actor, reminder.Name), out var entry) && ReferenceEquals(entry.Reminder, reminder))
            {
                entry.Run = run;
            }
            else
            {
                run.Cancel(); // replaced before it started
            }
        }
        return run;
    }

    /// <summary>
    /// Records a fire: the reminder continues as <paramref name="next"/>, or is done (null). False when
    /// it was replaced or deleted meanwhile (its schedule must stop).
    /// </summary>
    public async Task<bool> CompleteAsync(ActorReminder fired, ActorReminder? next, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            lock (_entries)
            {
                if (!_entries.TryGetValue((fired.Actor, fired.Name), out var entry) || !ReferenceEquals(entry.Reminder, fired))
                {
                    return false;
                }
                if (next is null)
                {
                    _entries.Remove((fired.Actor, fired.Name));
                }
                else
                {
                    entry.Reminder = next;
                }
            }
            await SaveAsync(cancellationToken);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void StopAll()
    {
        lock (_entries)
        {
            foreach (var entry in _entries.Values)
            {
                entry.Run?.Cancel();
            }
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        List<ActorReminder> all;
        lock (_entries)
        {
            all = _entries.Values.Select(e => e.Reminder).ToList();
        }
        try
        {
            await store.SaveAsync(all, cancellationToken);
        }
        catch (StateETagMismatchException)
        {
            // Written behind our back (another runtime on the same store): this runtime's list wins.
            await store.LoadAsync(cancellationToken);
            await store.SaveAsync(all, cancellationToken);
        }
    }

    private sealed class Entry(ActorReminder reminder)
    {
        public ActorReminder Reminder { get; set; } = reminder;

        public CancellationTokenSource? Run { get; set; }
    }
}
