using System.Text.Json.Serialization;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Systems.Presence;

/// <summary>
/// A system's saved state: who is here, the last sequence number, recent chat requests and the
/// outbox of events saved but not yet known to be published. Changed only by <see cref="Apply"/>.
/// </summary>
internal sealed class SystemState : IOutboxState
{
    public ulong Sequence { get; set; }

    /// <summary>Present characters by id, in order of arrival.</summary>
    public Dictionary<string, CharacterView> Present { get; set; } = new(StringComparer.Ordinal);

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public RequestLog<ChatOutcome> Chats { get; set; } = new() { MaxEntries = 64 };

    public List<UniverseEvent> Outbox { get; set; } = [];

    public ulong NextSequence => Sequence + 1;

    /// <summary>Records <paramref name="e"/> in the outbox and applies it.</summary>
    public void Record(SystemEvent e)
    {
        Outbox.Add(e);
        Apply(e);
    }

    public void Apply(SystemEvent e)
    {
        Sequence = e.Sequence;
        switch (e)
        {
            case CharacterArrived arrived:
                Present[arrived.Character.Id] = arrived.Character;
                break;
            case CharacterDeparted departed:
                Present.Remove(departed.CharacterId);
                break;
        }
    }

    public SystemSnapshotView Snapshot(SystemInfoView info) => new(info, [.. Present.Values], Sequence);
}
