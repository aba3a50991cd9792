using Quoncept.Gateway.Connections;
using Quoncept.Gateway.Streams;
using Quoncept.V1;

namespace Quoncept.Gateway.Social;

/// <summary>
/// The connections of this replica in one channel, and the channel's most recent lines, as
/// <see cref="Routing.SystemRoom"/> does for a system: a connection joining with the sequence its
/// answer carried is replayed the newer lines that got here first, and a redelivered line (a
/// sequence already seen) is dropped. A connection may be in many channels. A line is encoded once
/// and the same bytes go to every member.
/// </summary>
internal sealed class ChannelRoom(string name, int recentCapacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ClientConnection, ulong> _members = [];
    private readonly (ulong Sequence, OutboundMessage Message)[] _recent = new (ulong, OutboundMessage)[recentCapacity];
    private int _next;
    private int _count;
    private ulong _latest;

    public string Name { get; } = name;

    public int MemberCount { get { lock (_gate) return _members.Count; } }

    /// <summary>Adds a connection that holds the lines up to <paramref name="sequence"/>, and queues the newer ones it missed.</summary>
    public void Join(ClientConnection connection, ulong sequence)
    {
        lock (_gate)
        {
            _members[connection] = sequence;
            var missed = new List<(ulong Sequence, OutboundMessage Message)>();
            for (var i = 0; i < _count; i++)
            {
                var entry = _recent[(_next - _count + i + _recent.Length) % _recent.Length];
                if (entry.Sequence > sequence) missed.Add(entry);
            }
            foreach (var (_, message) in missed.OrderBy(e => e.Sequence)) connection.TryEnqueue(message);
        }
    }

    /// <summary>Adds a connection from the newest line seen here on (a login, which shows no history).</summary>
    public void JoinLive(ClientConnection connection)
    {
        lock (_gate) _members[connection] = _latest;
    }

    public void Leave(ClientConnection connection)
    {
        lock (_gate) _members.Remove(connection);
    }

    /// <summary>Records one line and queues it to every member that does not hold it yet. Returns how many; 0 for a redelivery.</summary>
    public int Deliver(ulong sequence, ServerMessage message)
    {
        lock (_gate)
        {
            for (var i = 0; i < _count; i++)
            {
                if (_recent[(_next - 1 - i + _recent.Length) % _recent.Length].Sequence == sequence) return 0;
            }
            var encoded = new OutboundMessage(message);
            _recent[_next] = (sequence, encoded);
            _next = (_next + 1) % _recent.Length;
            if (_count < _recent.Length) _count++;
            _latest = Math.Max(_latest, sequence);

            var delivered = 0;
            foreach (var (member, holds) in _members)
            {
                if (holds < sequence && member.TryEnqueue(encoded)) delivered++;
            }
            return delivered;
        }
    }
}
