using Quoncept.Contracts;

namespace Quoncept.Systems.Presence;

/// <summary>
/// A system as its rules see it: the saved head (sequence, outbox), who is here, and the recent
/// chat requests. Changed only by <see cref="Record"/> and <see cref="ChatRing.Remember"/>; it
/// tracks which of its separately saved parts changed, so that a turn writes only those: a chat
/// line writes the head and one chat slot, never the list of everyone present.
/// </summary>
internal sealed class SystemState
{
    public SystemState()
        : this(new SystemHead(), null, null)
    {
    }

    public SystemState(SystemHead head, Dictionary<string, CharacterView>? present, ChatRing? chats)
    {
        Head = head;
        Present = present ?? new Dictionary<string, CharacterView>(StringComparer.Ordinal);
        Chats = chats ?? new ChatRing(head);
    }

    /// <summary>Saved under "state" by every turn that changes anything.</summary>
    public SystemHead Head { get; }

    /// <summary>Present characters by id, in order of arrival; saved under their own key when they change.</summary>
    public Dictionary<string, CharacterView> Present { get; }

    public ChatRing Chats { get; }

    /// <summary>Whether <see cref="Present"/> changed since the last <see cref="MarkPresenceSaved"/>.</summary>
    public bool PresenceChanged { get; private set; }

    public ulong Sequence => Head.Sequence;

    public List<UniverseEvent> Outbox => Head.Outbox;

    public ulong NextSequence => Head.Sequence + 1;

    /// <summary>Records <paramref name="e"/> in the outbox and applies it.</summary>
    public void Record(SystemEvent e)
    {
        Head.Outbox.Add(e);
        Apply(e);
    }

    public void Apply(SystemEvent e)
    {
        Head.Sequence = e.Sequence;
        switch (e)
        {
            case CharacterArrived arrived:
                Present[arrived.Character.Id] = arrived.Character;
                PresenceChanged = true;
                break;
            case CharacterDeparted departed:
                PresenceChanged |= Present.Remove(departed.CharacterId);
                break;
        }
    }

    /// <summary>Presence taken over from an older layout, to be saved under its own key.</summary>
    public void MarkPresenceChanged() => PresenceChanged = true;

    public void MarkPresenceSaved() => PresenceChanged = false;

    public SystemSnapshotView Snapshot(SystemInfoView info) => new(info, [.. Present.Values], Sequence);
}
