using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Systems.Presence;

/// <summary>
/// The chat requests of a system's last <see cref="Capacity"/> chat turns (everyone's), each with its first
/// answer, so that a repeated (connection id, request id) gets that answer instead of a second line. A turn's
/// requests (one line, or a gateway's batch) are saved together under one slot key and the slots are reused
/// round-robin, so remembering a turn's chats writes one small key instead of the whole log.
/// Slots were one request each before batches ("chat-NN"); those keys are no longer read, so a request repeated
/// across that upgrade is judged again.
/// </summary>
internal sealed class ChatRing
{
    public const int Capacity = 64;

    private readonly List<RequestLogEntry<ChatOutcome>>?[] _slots = new List<RequestLogEntry<ChatOutcome>>?[Capacity];
    private readonly SystemHead _head;
    private List<RequestLogEntry<ChatOutcome>>? _turn;

    public ChatRing(SystemHead head, IEnumerable<(int Slot, List<RequestLogEntry<ChatOutcome>> Entries)>? saved = null)
    {
        _head = head;
        foreach (var (slot, entries) in saved ?? []) _slots[slot] = entries;
    }

    /// <summary>Remembered requests, saved ones in slot order, then this turn's.</summary>
    public IEnumerable<RequestLogEntry<ChatOutcome>> Entries => _slots.Where(s => s is not null).SelectMany(s => s!).Concat(_turn ?? []);

    /// <summary>Whether this turn remembered a request that is not saved yet.</summary>
    public bool HasUnsaved => _turn is not null;

    /// <summary>The actor state key of one slot.</summary>
    public static string SlotKey(int slot) => "chats-" + slot.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    public bool TryGet(string key, out ChatOutcome? reply)
    {
        if (Find(_turn, key) is { } pending)
        {
            reply = pending.Reply;
            return true;
        }

        foreach (var slot in _slots)
        {
            if (Find(slot, key) is { } entry)
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
        _slots[slot] = turn;
        _head.ChatCursor = (slot + 1) % Capacity;
        _turn = null;
        return [(SlotKey(slot), turn)];
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
