using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Systems.Presence;

/// <summary>
/// The chat requests of a system's last <see cref="Capacity"/> chat turns (everyone's), each with its first
/// answer, so that a repeated (connection id, request id) gets that answer instead of a second line. A turn's
/// requests (one line, or a gateway's batch) are saved together under one slot key and the slots are reused
/// round-robin, so remembering a turn's chats writes one small key instead of the whole log.
/// Slots are read when a request may be in them (<see cref="SlotsToRead"/>, by the head's <see cref="ChatSlotFilter"/>
/// index), not all at once: a chat after an activation would otherwise wait for <see cref="Capacity"/> reads. Slots of
/// one-line turns (light load) rarely match a new request; slots of large batches (a busy system) fill their filter,
/// and the first batch after an activation then reads many of them, at worst all, as before the index.
/// Slots were one request each before batches ("chat-NN"); those keys are no longer read, so a request repeated
/// across that upgrade is judged again.
/// </summary>
internal sealed class ChatRing
{
    public const int Capacity = 64;

    private readonly List<RequestLogEntry<ChatOutcome>>?[] _slots = new List<RequestLogEntry<ChatOutcome>>?[Capacity];
    private readonly bool[] _read = new bool[Capacity];
    private readonly SystemHead _head;
    private List<RequestLogEntry<ChatOutcome>>? _turn;

    public ChatRing(SystemHead head)
    {
        _head = head;
        // A system that never saved a head has remembered nothing: its index starts empty. A head saved before the
        // index existed has none, and every slot is read once, which builds it (saved with the next turn).
        if (head.ChatIndex is not { Length: ChatSlotFilter.IndexLength } && head.NeverSaved)
        {
            head.ChatIndex = new byte[ChatSlotFilter.IndexLength];
        }
    }

    private bool Indexed => _head.ChatIndex is { Length: ChatSlotFilter.IndexLength };

    /// <summary>Whether this turn remembered a request that is not saved yet.</summary>
    public bool HasUnsaved => _turn is not null;

    /// <summary>The actor state key of one slot.</summary>
    public static string SlotKey(int slot) => "chats-" + slot.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The slots not read yet that may hold one of these request keys (all of them while the head has no index).</summary>
    public IReadOnlyList<int> SlotsToRead(IEnumerable<string> keys)
    {
        var wanted = new List<int>();
        var bits = Indexed ? keys.Select(ChatSlotFilter.Bits).ToArray() : null;
        for (var slot = 0; slot < Capacity; slot++)
        {
            if (!_read[slot] && (bits is null || bits.Any(b => MayHold(slot, b)))) wanted.Add(slot);
        }

        return wanted;
    }

    /// <summary>Takes a slot as read from the store (<paramref name="entries"/> null: the slot was never written).</summary>
    public void Load(int slot, List<RequestLogEntry<ChatOutcome>>? entries)
    {
        if (_read[slot]) return;
        (_slots[slot], _read[slot]) = (entries, true);
        IndexOnceAllRead();
    }

    /// <summary>The first answer to a request remembered in this turn or in a slot; the slots that may hold it must have been read.</summary>
    public bool TryGet(string key, out ChatOutcome? reply)
    {
        if (Find(_turn, key) is { } pending)
        {
            reply = pending.Reply;
            return true;
        }

        var bits = ChatSlotFilter.Bits(key);
        for (var slot = 0; slot < Capacity; slot++)
        {
            if (!_read[slot])
            {
                if (MayHold(slot, bits))
                {
                    throw new InvalidOperationException($"chat slot {slot} may hold request '{key}' but was not read; read SlotsToRead first");
                }

                continue;
            }

            if (Find(_slots[slot], key) is { } entry)
            {
                reply = entry.Reply;
                return true;
            }
        }

        reply = null;
        return false;
    }

    /// <summary>Remembers a request of this turn; <see cref="TakeChanges"/> puts the turn's requests in the oldest slot.</summary>
    public void Remember(string key, ChatOutcome reply) => (_turn ??= []).Add(new RequestLogEntry<ChatOutcome>(key, reply));

    /// <summary>This turn's slot (the one after the newest), with what to save under it; none when the turn remembered nothing.</summary>
    public IReadOnlyList<(string Key, List<RequestLogEntry<ChatOutcome>> Entries)> TakeChanges()
    {
        if (_turn is not { } turn) return [];
        var slot = ((_head.ChatCursor % Capacity) + Capacity) % Capacity;
        (_slots[slot], _read[slot]) = (turn, true);
        if (Indexed) ChatSlotFilter.Write(_head.ChatIndex!, slot, ChatSlotFilter.Of(turn));
        else IndexOnceAllRead();
        _head.ChatCursor = (slot + 1) % Capacity;
        _turn = null;
        return [(SlotKey(slot), turn)];
    }

    /// <summary>Whether a slot may hold a request with these filter bits: any slot, while the head has no index.</summary>
    private bool MayHold(int slot, ulong bits) => !Indexed || ChatSlotFilter.MayHold(ChatSlotFilter.Read(_head.ChatIndex!, slot), bits);

    /// <summary>Builds the index of a head saved before it had one, once every slot is known.</summary>
    private void IndexOnceAllRead()
    {
        if (Indexed || _read.Contains(false)) return;
        var index = new byte[ChatSlotFilter.IndexLength];
        for (var slot = 0; slot < Capacity; slot++) ChatSlotFilter.Write(index, slot, ChatSlotFilter.Of(_slots[slot]));
        _head.ChatIndex = index;
    }

    private static RequestLogEntry<ChatOutcome>? Find(List<RequestLogEntry<ChatOutcome>>? entries, string key)
    {
        if (entries is null) return null;
        foreach (var entry in entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal)) return entry;
        }

        return null;
    }
}
