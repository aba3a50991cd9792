using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Actors.Reminders;

/// <summary>
/// Reminders of one actor type in the actor state store, in daprd's layout (see <see cref="ReminderKeys"/>):
/// one array under <c>actors||{type}</c>, or <see cref="PartitionCount"/> arrays named by the metadata record.
/// A save writes one array (the whole list, or one partition) with the etag of its last read or write, so
/// two writers cannot silently overwrite each other. Slots are partitions counted from 0 (slot 0 is the
/// single array when not partitioned).
/// </summary>
internal sealed class ReminderStore(IStateStore store, string actorType, ILogger logger)
{
    private readonly Dictionary<string, string?> _etags = new(StringComparer.Ordinal);
    private ReminderMetadata _metadata = ReminderMetadata.Unpartitioned;
    private string? _metadataETag;

    /// <summary>0 when the type keeps one array.</summary>
    public int PartitionCount => _metadata.PartitionCount;

    public string KeyOf(int slot) => PartitionCount == 0
        ? ReminderKeys.Unpartitioned(actorType)
        : ReminderKeys.Partition(actorType, _metadata.Id, slot + 1);

    /// <summary>
    /// Reads the stored layout and every reminder in it; when <paramref name="wantedPartitions"/> is more than the
    /// stored count, first tries to move them into that many partitions (<see cref="TryMigrateAsync"/>). Fewer is refused
    /// with a warning, as daprd does: runtimes whose apps disagree then converge on the largest count.
    /// Throws <see cref="FormatException"/> naming the key that holds bad data.
    /// </summary>
    public async Task<List<ActorReminder>> LoadAsync(int wantedPartitions, CancellationToken cancellationToken)
    {
        var metadataKey = ReminderKeys.Metadata(actorType);
        var metadataEntry = await store.GetAsync(metadataKey, cancellationToken);
        _metadata = metadataEntry is { Value.Length: > 0 } ? ReminderMetadata.Parse(metadataEntry.Value, metadataKey) : ReminderMetadata.Unpartitioned;
        _metadataETag = metadataEntry?.ETag;
        _etags.Clear();

        var keys = Enumerable.Range(0, Math.Max(1, PartitionCount)).Select(KeyOf).ToList();
        var entries = await store.GetBulkAsync(keys, cancellationToken);
        var reminders = new List<ActorReminder>();
        for (var i = 0; i < keys.Count; i++)
        {
            _etags[keys[i]] = entries[i]?.ETag;
            if (entries[i] is not { Value.Length: > 0 } entry)
            {
                // daprd writes every partition (as []) before the metadata that names it: a missing one was lost.
                if (PartitionCount > 0)
                {
                    throw new FormatException($"reminder partition {keys[i]} named by {metadataKey} (id {_metadata.Id}) is missing from state store {store.Name}");
                }
                continue;
            }
            reminders.AddRange(ReminderArray.Read(entry.Value, keys[i], store.Name));
        }

        if (wantedPartitions > PartitionCount)
        {
            await TryMigrateAsync(reminders, wantedPartitions, cancellationToken);
        }
        else if (wantedPartitions < PartitionCount)
        {
            logger.LogWarning("reminders of actor type {Type} stay in {Stored} partitions: the app asks for {Wanted}, and the count cannot decrease",
                actorType, PartitionCount, wantedPartitions);
        }
        return reminders;
    }

    /// <summary>
    /// <see cref="MigrateAsync"/>, but a failure (of any kind: nothing was changed then) is logged and the reminders
    /// stay in the layout they are in, as daprd does: they keep working, and the next load tries again.
    /// </summary>
    public async Task<bool> TryMigrateAsync(IReadOnlyCollection<ActorReminder> reminders, int partitionCount, CancellationToken cancellationToken)
    {
        var before = _metadata;
        try
        {
            await MigrateAsync(reminders, partitionCount, cancellationToken);
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!ReferenceEquals(_metadata, before))
            {
                return true; // switched; only reading the new etags failed
            }
            logger.LogError("reminders of actor type {Type} stay in {Layout}: moving them into {Count} partitions failed: {Error}",
                actorType, PartitionCount == 0 ? "one list" : PartitionCount + " partitions", partitionCount, error.Message);
            return false;
        }
    }

    /// <summary>
    /// Moves <paramref name="reminders"/> (all of the type) into <paramref name="partitionCount"/> partitions under a
    /// new metadata id. One transaction, in this order: the new partitions (each must not exist yet), then the
    /// metadata that points to them (etag of our read: fails if another runtime switched the layout meanwhile),
    /// then deletes of the old arrays (etags of our read: fails if the old layout was written since). So nothing
    /// can be lost: the store applies all or none; and even a store that applied the operations one by one and
    /// died midway would leave either new partitions nobody points to yet (the old layout still in force) or
    /// old arrays nobody points to any more — never metadata naming partitions that were not written, never an
    /// old array deleted before the switch.
    /// </summary>
    public async Task MigrateAsync(IReadOnlyCollection<ActorReminder> reminders, int partitionCount, CancellationToken cancellationToken)
    {
        var target = new ReminderMetadata(Guid.NewGuid().ToString(), partitionCount);
        var partitions = new List<ActorReminder>[partitionCount];
        for (var i = 0; i < partitionCount; i++)
        {
            partitions[i] = [];
        }
        foreach (var reminder in reminders)
        {
            partitions[ReminderKeys.PartitionOf(reminder.Actor.Id, reminder.Name, partitionCount) - 1].Add(reminder);
        }
        var newKeys = Enumerable.Range(1, partitionCount).Select(p => ReminderKeys.Partition(actorType, target.Id, p)).ToList();
        var operations = new List<StateOperation>(partitionCount + 1 + _etags.Count);
        for (var i = 0; i < partitionCount; i++)
        {
            operations.Add(StateOperation.Upsert(newKeys[i], ReminderArray.Write(partitions[i]), null, StateConcurrency.FirstWrite));
        }
        operations.Add(StateOperation.Upsert(ReminderKeys.Metadata(actorType), target.Write(), _metadataETag, StateConcurrency.FirstWrite));
        foreach (var (oldKey, etag) in _etags)
        {
            if (etag is not null)
            {
                operations.Add(StateOperation.Delete(oldKey, etag, StateConcurrency.FirstWrite));
            }
        }
        await store.TransactAsync(operations, cancellationToken);

        // Switched: from here a failed read of the new etags only costs a retried first save (see RefreshETagAsync).
        var from = PartitionCount;
        _metadata = target;
        _metadataETag = null;
        _etags.Clear();
        _metadataETag = (await store.GetAsync(ReminderKeys.Metadata(actorType), cancellationToken))?.ETag;
        var written = await store.GetBulkAsync(newKeys, cancellationToken);
        for (var i = 0; i < partitionCount; i++)
        {
            _etags[newKeys[i]] = written[i]?.ETag;
        }
        // A fresh store laid out for the first time is routine; moving real reminders is worth an operator's attention.
        logger.Log(reminders.Count == 0 ? LogLevel.Information : LogLevel.Warning, "moved {Count} reminders of actor type {Type} from {From} into {To} partitions (metadata id {Id})",
            reminders.Count, actorType, from == 0 ? "one list" : from + " partitions", partitionCount, target.Id);
    }

    /// <summary>Writes one slot's list; throws <see cref="StateETagMismatchException"/> if someone else wrote it since.</summary>
    public async Task SaveAsync(int slot, IEnumerable<ActorReminder> reminders, CancellationToken cancellationToken)
    {
        var key = KeyOf(slot);
        // First-write: with our etag the write must follow our last read; without one the key must be new.
        _etags[key] = await store.ApplyAsync(
            StateOperation.Upsert(key, ReminderArray.Write(reminders), _etags.GetValueOrDefault(key), StateConcurrency.FirstWrite), cancellationToken);
    }

    /// <summary>Takes the current etag of a slot that was written behind our back, so our next save replaces it.</summary>
    public async Task RefreshETagAsync(int slot, CancellationToken cancellationToken)
    {
        var key = KeyOf(slot);
        _etags[key] = (await store.GetAsync(key, cancellationToken))?.ETag;
    }
}
