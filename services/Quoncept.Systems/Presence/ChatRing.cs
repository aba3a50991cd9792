using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Systems.Presence;

/// <summary>
/// The last <see cref="Capacity"/> chat requests of a system (everyone's), each with its first
/// answer, so that a repeated (connection id, request id) gets that answer instead of a second
/// line. Each entry is saved under its own slot key and the slots are reused round-robin, so
/// remembering a chat writes one small key instead of the whole log.
/// </summary>
internal sealed class ChatRing
{
    public const int Capacity = 64;

    private readonly RequestLogEntry<ChatOutcome>?[] _slots = new RequestLogEntry<ChatOutcome>?[Capacity];
    private readonly SystemHead _head;
    private readonly List<int> _changed = [];

    public ChatRing(SystemHead head, IEnumerable<(int Slot, RequestLogEntry<ChatOutcome> Entry)>? saved = null)
    {
        _head = head;
        foreach (var (slot, entry) in saved ?? []) _slots[slot] = entry;
    }

    /// <summary>Remembered requests, in slot order.</summary>
    public IEnumerable<RequestLogEntry<ChatOutcome>> Entries => _slots.OfType<RequestLogEntry<ChatOutcome>>();

    /// <summary>The actor state key of one slot.</summary>
    public static string SlotKey(int slot) => "chat-" + slot.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    public bool TryGet(string key, out ChatOutcome? reply)
    {
        foreach (var entry in _slots)
        {
            if (entry is not null && string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                reply = entry.Reply;
                return true;
            }
        }

        reply = null;
        return false;
    }

    /// <summary>Takes the oldest slot (the one after the newest) for this request.</summary>
    public void Remember(string key, ChatOutcome reply)
    {
        var slot = ((_head.ChatCursor % Capacity) + Capacity) % Capacity;
        _slots[slot] = new RequestLogEntry<ChatOutcome>(key, reply);
        _changed.Add(slot);
        _head.ChatCursor = (slot + 1) % Capacity;
    }

    /// <summary>The slots remembered since the last call, with what to save under each.</summary>
    public IReadOnlyList<(string Key, RequestLogEntry<ChatOutcome> Entry)> TakeChanges()
    {
        var changes = _changed.Distinct().Select(slot => (SlotKey(slot), _slots[slot]!)).ToList();
        _changed.Clear();
        return changes;
    }
}
