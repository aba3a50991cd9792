using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Actors.Reminders;

/// <summary>
/// The reminders of one actor type in memory, each with the cancellation of its running schedule, grouped
/// by the stored slot (partition) they belong to. Every change is saved before it counts, under one gate per
/// type, and writes only the slot of the reminder concerned (the whole list when the type is not partitioned).
/// </summary>
internal sealed class ReminderTypeState(ReminderStore store)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _sync = new();
    private Dictionary<(ActorKey Actor, string Name), Entry>[] _slots = [[]];
    private int _partitionCount;
    private int _triedPartitions;
    private bool _loaded;

    /// <summary>
    /// Loads the stored reminders the first time (moving them into <paramref name="wantedPartitions"/> partitions if
    /// that is more than stored) and returns them, to be scheduled; afterwards returns null, after moving the
    /// reminders in memory into more partitions when a host now asks for more (tried once per count; a failure
    /// is logged and leaves them where they are).
    /// </summary>
    public async Task<List<ActorReminder>?> EnsureLoadedAsync(int wantedPartitions, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _loaded) && wantedPartitions <= Volatile.Read(ref _triedPartitions))
        {
            return null;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_loaded)
            {
                var stored = await store.LoadAsync(wantedPartitions, cancellationToken);
                Regroup(stored.Select(r => new Entry(r)));
                Volatile.Write(ref _triedPartitions, Math.Max(wantedPartitions, store.PartitionCount));
                Volatile.Write(ref _loaded, true);
                return stored;
            }
            if (wantedPartitions > _triedPartitions)
            {
                List<Entry> all;
                lock (_sync)
                {
                    all = _slots.SelectMany(s => s.Values).ToList();
                }
                if (await store.TryMigrateAsync(all.Select(e => e.Reminder).ToList(), wantedPartitions, cancellationToken))
                {
                    Regroup(all);
                }
                Volatile.Write(ref _triedPartitions, wantedPartitions);
            }
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public ActorReminder? Find(ActorKey actor, string name)
    {
        lock (_sync)
        {
            return SlotOf(actor, name).TryGetValue((actor, name), out var entry) ? entry.Reminder : null;
        }
    }

    /// <summary>Creates, replaces (<paramref name="reminder"/> set) or deletes (null) a reminder and saves.</summary>
    public async Task UpdateAsync(ActorKey actor, string name, ActorReminder? reminder, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            lock (_sync)
            {
                var slot = SlotOf(actor, name);
                if (slot.Remove((actor, name), out var previous))
                {
                    previous.Run?.Cancel();
                }
                if (reminder is not null)
                {
                    slot[(actor, name)] = new Entry(reminder);
                }
            }
            await SaveAsync(actor, name, cancellationToken);
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
        lock (_sync)
        {
            if (SlotOf(reminder.Actor, reminder.Name).TryGetValue((reminder.Actor, reminder.Name), out var entry) && ReferenceEquals(entry.Reminder, reminder))
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
            lock (_sync)
            {
                var slot = SlotOf(fired.Actor, fired.Name);
                if (!slot.TryGetValue((fired.Actor, fired.Name), out var entry) || !ReferenceEquals(entry.Reminder, fired))
                {
                    return false;
                }
                if (next is null)
                {
                    slot.Remove((fired.Actor, fired.Name));
                }
                else
                {
                    entry.Reminder = next;
                }
            }
            await SaveAsync(fired.Actor, fired.Name, cancellationToken);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void StopAll()
    {
        lock (_sync)
        {
            foreach (var entry in _slots.SelectMany(s => s.Values))
            {
                entry.Run?.Cancel();
            }
        }
    }

    /// <summary>Saves the slot holding (<paramref name="actor"/>, <paramref name="name"/>); the caller holds the gate.</summary>
    private async Task SaveAsync(ActorKey actor, string name, CancellationToken cancellationToken)
    {
        int slot;
        List<ActorReminder> reminders;
        lock (_sync)
        {
            slot = SlotIndexOf(actor, name);
            reminders = _slots[slot].Values.Select(e => e.Reminder).ToList();
        }
        try
        {
            await store.SaveAsync(slot, reminders, cancellationToken);
        }
        catch (StateETagMismatchException)
        {
            // Written behind our back (another runtime on the same store): this runtime's list wins.
            await store.RefreshETagAsync(slot, cancellationToken);
            await store.SaveAsync(slot, reminders, cancellationToken);
        }
    }

    /// <summary>Puts the entries into the slots of the store's current layout; the caller holds the gate.</summary>
    private void Regroup(IEnumerable<Entry> entries)
    {
        var count = store.PartitionCount;
        var slots = new Dictionary<(ActorKey Actor, string Name), Entry>[Math.Max(1, count)];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = [];
        }
        foreach (var entry in entries)
        {
            var reminder = entry.Reminder;
            slots[Math.Max(0, ReminderKeys.PartitionOf(reminder.Actor.Id, reminder.Name, count) - 1)][(reminder.Actor, reminder.Name)] = entry;
        }
        lock (_sync)
        {
            _slots = slots;
            Volatile.Write(ref _partitionCount, count);
        }
    }

    private int SlotIndexOf(ActorKey actor, string name) => Math.Max(0, ReminderKeys.PartitionOf(actor.Id, name, _partitionCount) - 1);

    private Dictionary<(ActorKey Actor, string Name), Entry> SlotOf(ActorKey actor, string name) => _slots[SlotIndexOf(actor, name)];

    private sealed class Entry(ActorReminder reminder)
    {
        public ActorReminder Reminder { get; set; } = reminder;

        public CancellationTokenSource? Run { get; set; }
    }
}
