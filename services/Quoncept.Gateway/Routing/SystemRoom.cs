using Quoncept.Gateway.Connections;
using Quoncept.Gateway.Streams;

namespace Quoncept.Gateway.Routing;

/// <summary>
/// The connections of this replica whose characters are in one system, and the system's most
/// recent live events. The recent events close the race between a snapshot (taken by the
/// system actor) and the events published right after it, which may reach this replica before
/// the snapshot does: a connection joining with snapshot sequence S is replayed what is newer.
/// They also drop redeliveries (pub/sub delivers at least once).
/// </summary>
internal sealed class SystemRoom
{
    private readonly Lock _gate = new();
    private readonly HashSet<ClientConnection> _members = [];
    private readonly (ulong Sequence, string? SubjectCharacterId, OutboundMessage Message)[] _recent;
    private int _next;
    private int _count;

    public SystemRoom(string systemId, int recentCapacity)
    {
        SystemId = systemId;
        _recent = new (ulong, string?, OutboundMessage)[recentCapacity];
    }

    public string SystemId { get; }

    public int MemberCount { get { lock (_gate) return _members.Count; } }

    /// <summary>Adds a connection holding the snapshot at <paramref name="snapshotSequence"/> and queues the newer events it missed.</summary>
    public void Join(ClientConnection connection, ulong snapshotSequence)
    {
        lock (_gate)
        {
            connection.SystemId = SystemId;
            connection.SnapshotSequence = snapshotSequence;
            _members.Add(connection);
            var replay = new List<(ulong Sequence, string? Subject, OutboundMessage Message)>();
            for (var i = 0; i < _count; i++)
            {
                var entry = _recent[(_next - _count + i + _recent.Length) % _recent.Length];
                if (entry.Sequence > snapshotSequence) replay.Add(entry);
            }
            foreach (var (_, subject, message) in replay.OrderBy(e => e.Sequence))
            {
                if (subject != connection.Identity.CharacterId) connection.TryEnqueue(message);
            }
        }
    }

    public void Leave(ClientConnection connection)
    {
        lock (_gate)
        {
            if (_members.Remove(connection) && connection.SystemId == SystemId) connection.SystemId = null;
        }
    }

    /// <summary>
    /// Records one live event and queues it to every member whose snapshot predates it, except the
    /// character the event is about (it learns of its own arrival and departure from its results).
    /// Returns how many connections it was queued to; 0 for a redelivered event. The same encoded
    /// message goes to every member: one serialization per event, not one per delivery.
    /// </summary>
    public int Deliver(ulong sequence, string? subjectCharacterId, OutboundMessage message)
    {
        lock (_gate)
        {
            for (var i = 0; i < _count; i++)
            {
                if (_recent[(_next - 1 - i + _recent.Length) % _recent.Length].Sequence == sequence) return 0;
            }
            _recent[_next] = (sequence, subjectCharacterId, message);
            _next = (_next + 1) % _recent.Length;
            if (_count < _recent.Length) _count++;

            var delivered = 0;
            foreach (var member in _members)
            {
                if (member.SnapshotSequence >= sequence || member.Identity.CharacterId == subjectCharacterId) continue;
                if (member.TryEnqueue(message)) delivered++;
            }
            return delivered;
        }
    }
}
