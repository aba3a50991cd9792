using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Quoncept.Gateway.Connections;
using Quoncept.Gateway.Streams;
using Quoncept.V1;

namespace Quoncept.Gateway.Routing;

/// <summary>
/// Routes live events received by this replica to exactly the connections they concern:
/// system events to the connections whose character is in that system, session endings to the
/// connection holding that session. Every replica receives every event; most are for nobody here.
/// </summary>
internal sealed class LiveEventRouter
{
    private readonly ConcurrentDictionary<string, SystemRoom> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClientConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClientConnection> _bySession = new(StringComparer.Ordinal);
    private readonly int _recentPerSystem;
    private long _delivered;

    public LiveEventRouter(IOptions<GatewayOptions> options, IMeterFactory meters)
    {
        _recentPerSystem = options.Value.RecentEventsPerSystem;
        GatewayMetrics.ObserveOutboundQueued(meters, () => _connections.Values.Sum(c => (long)c.Waiting));
    }

    /// <summary>Events queued to connections since start; the bench reads it.</summary>
    public long DeliveredCount => Interlocked.Read(ref _delivered);

    public int ConnectionCount => _connections.Count;

    /// <summary>Registers a connection; a previous stream with the same connection id (a reconnect that beat the old stream's end) is ended.</summary>
    public void Add(ClientConnection connection)
    {
        _connections.AddOrUpdate(connection.ConnectionId, connection, (_, old) =>
        {
            if (!ReferenceEquals(old, connection))
            {
                LeaveSystem(old);
                old.Terminate("reconnected", "the same connection id was opened again");
            }
            return connection;
        });
        _bySession[connection.Identity.SessionId] = connection;
    }

    public void Remove(ClientConnection connection)
    {
        LeaveSystem(connection);
        _connections.TryRemove(new KeyValuePair<string, ClientConnection>(connection.ConnectionId, connection));
        _bySession.TryRemove(new KeyValuePair<string, ClientConnection>(connection.Identity.SessionId, connection));
    }

    /// <summary>Moves a connection into <paramref name="systemId"/> as of the snapshot it was just sent.</summary>
    public void EnterSystem(ClientConnection connection, string systemId, ulong snapshotSequence)
    {
        if (connection.SystemId is { } current && current != systemId) LeaveSystem(connection);
        Room(systemId).Join(connection, snapshotSequence);
    }

    public void LeaveSystem(ClientConnection connection)
    {
        if (connection.SystemId is { } current && _rooms.TryGetValue(current, out var room)) room.Leave(connection);
    }

    /// <summary>A live event of one system, sent on to the connections in it.</summary>
    public int DeliverSystemEvent(string systemId, ulong sequence, string? subjectCharacterId, ServerMessage message)
    {
        var delivered = Room(systemId).Deliver(sequence, subjectCharacterId, new OutboundMessage(message));
        Interlocked.Add(ref _delivered, delivered);
        GatewayMetrics.FannedOutTo(delivered);
        return delivered;
    }

    /// <summary>
    /// A session ended, or moved to another connection: the stream holding it here
    /// (<paramref name="connectionId"/> when known, else whichever holds the session) is terminated.
    /// </summary>
    public bool EndSession(string sessionId, string? connectionId, string reason, string message)
    {
        var found = connectionId is null
            ? _bySession.TryGetValue(sessionId, out var connection)
            : _connections.TryGetValue(connectionId, out connection);
        if (!found || connection!.Identity.SessionId != sessionId) return false;
        connection.Terminate(reason, message);
        return true;
    }

    /// <summary>Terminates every stream, e.g. when the gateway stops.</summary>
    public void TerminateAll(string reason, string message)
    {
        foreach (var connection in _connections.Values) connection.Terminate(reason, message);
    }

    private SystemRoom Room(string systemId) => _rooms.GetOrAdd(systemId, id => new SystemRoom(id, _recentPerSystem));
}
