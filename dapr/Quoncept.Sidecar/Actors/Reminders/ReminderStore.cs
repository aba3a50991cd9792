using System.Text.Json;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Actors.Reminders;

/// <summary>
/// Reminders of one actor type, persisted in the actor state store as one JSON array under
/// <c>actors||{actorType}</c> (daprd's key), written with the etag of the last read so two writers
/// cannot silently overwrite each other.
/// </summary>
internal sealed class ReminderStore(IStateStore store, string actorType)
{
    private string? _etag;

    public string Key { get; } = "actors||" + actorType;

    public async Task<List<ActorReminder>> LoadAsync(CancellationToken cancellationToken)
    {
        var entry = await store.GetAsync(Key, cancellationToken);
        _etag = entry?.ETag;
        if (entry is null || entry.Value.Length == 0)
        {
            return [];
        }
        using var document = JsonDocument.Parse(entry.Value);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{Key} in state store {store.Name} is not a JSON array of reminders");
        }
        return document.RootElement.EnumerateArray().Select(ActorReminder.ReadStored).ToList();
    }

    /// <summary>Writes the whole list; throws <see cref="StateETagMismatchException"/> if someone else wrote since.</summary>
    public async Task SaveAsync(IEnumerable<ActorReminder> reminders, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var reminder in reminders)
            {
                reminder.WriteStored(json);
            }
            json.WriteEndArray();
        }
        // First-write: with our etag the write must follow our last read; without one the key must be new.
        _etag = await store.ApplyAsync(StateOperation.Upsert(Key, buffer.ToArray(), _etag, StateConcurrency.FirstWrite), cancellationToken);
    }
}
