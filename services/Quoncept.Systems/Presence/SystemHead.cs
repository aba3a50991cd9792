using System.Text.Json.Serialization;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Systems.Presence;

/// <summary>
/// The part of a system's saved state that every turn writes (actor state key "state"): the last
/// sequence number, where the next remembered chat goes and which slots may hold a request, and the outbox. Of fixed size,
/// whatever the crowd: presence and the remembered chats live under keys of their own
/// (<see cref="SystemActor"/>), written only when they change.
/// </summary>
internal sealed class SystemHead : IOutboxState, IJsonOnDeserialized
{
    /// <summary>True for a head made for a system that never saved one; false for one read from the store.</summary>
    [JsonIgnore]
    public bool NeverSaved { get; private set; } = true;

    public ulong Sequence { get; set; }

    /// <summary>The <see cref="ChatRing"/> slot the next remembered chat request takes.</summary>
    public int ChatCursor { get; set; }

    /// <summary>
    /// The <see cref="ChatSlotFilter"/> of each <see cref="ChatRing"/> slot (512 bytes, base64 in JSON): which slots a
    /// request may be remembered in. Null in a head saved before it existed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public byte[]? ChatIndex { get; set; }

    public List<UniverseEvent> Outbox { get; set; } = [];

    void IJsonOnDeserialized.OnDeserialized() => NeverSaved = false;

    /// <summary>
    /// Presence as saved before it had a key of its own (inside "state"); read once, moved to
    /// the presence key by the next save, never written here again.
    /// </summary>
    [JsonPropertyName("present")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, CharacterView>? LegacyPresent { get; set; }
}
