using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Quoncept.Contracts;
using Quoncept.Gateway.Connections;
using Quoncept.V1;

namespace Quoncept.Gateway.Social;

/// <summary>
/// Routes social live events received by this replica to the connections they concern: channel
/// lines to the members of that channel here (world: every logged-in connection), direct messages
/// and mail to the recipient's connection, logins and logouts to the connections following that
/// character. Every replica receives every one; most are for nobody here.
/// </summary>
internal sealed class SocialRouter(IOptions<GatewayOptions> options)
{
    private readonly int _recent = options.Value.RecentEventsPerSystem;
    private readonly ChannelRoom _world = new(ChannelNames.World, options.Value.RecentEventsPerSystem);
    private readonly ConcurrentDictionary<string, ChannelRoom> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ClientConnection, SocialSession> _sessions = new();
    private readonly ConcurrentDictionary<string, ClientConnection> _byCharacter = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<ClientConnection, byte>> _followers = new(StringComparer.Ordinal);
    private long _delivered;

    public long DeliveredCount => Interlocked.Read(ref _delivered);

    public SocialSession? SessionOf(ClientConnection connection) => _sessions.GetValueOrDefault(connection);

    /// <summary>A logged-in connection: reachable by character id, in world from now on, in its channels and following its friends.</summary>
    public SocialSession Register(ClientConnection connection, string characterName, IEnumerable<string> channels, IEnumerable<FriendView> friends)
    {
        Unregister(connection);
        var session = new SocialSession(characterName);
        _sessions[connection] = session;
        _byCharacter[connection.Identity.CharacterId] = connection;
        _world.JoinLive(connection);
        foreach (var channel in channels) JoinLive(connection, session, channel);
        foreach (var friend in friends) Follow(connection, session, friend.CharacterId, friend.Name);
        return session;
    }

    /// <summary>The connection ended or logged out: out of every room and index here.</summary>
    public void Unregister(ClientConnection connection)
    {
        if (!_sessions.TryRemove(connection, out var session)) return;
        _byCharacter.TryRemove(new KeyValuePair<string, ClientConnection>(connection.Identity.CharacterId, connection));
        _world.Leave(connection);
        lock (session.Gate)
        {
            foreach (var channel in session.Channels) Room(channel).Leave(connection);
            foreach (var friend in session.Friends.Keys) Unfollow(connection, friend);
        }
    }

    /// <summary>After a JoinChannel answer that carried <paramref name="sequence"/>: live lines after it, and the newer ones already here.</summary>
    public void Join(ClientConnection connection, SocialSession session, string channel, ulong sequence)
    {
        lock (session.Gate) session.Channels.Add(channel);
        Room(channel).Join(connection, sequence);
    }

    public void Leave(ClientConnection connection, SocialSession session, string channel)
    {
        lock (session.Gate) session.Channels.Remove(channel);
        Room(channel).Leave(connection);
    }

    /// <summary>Replaces whom the connection follows.</summary>
    public void SetFriends(ClientConnection connection, SocialSession session, IEnumerable<FriendView> friends)
    {
        lock (session.Gate)
        {
            foreach (var friend in session.Friends.Keys) Unfollow(connection, friend);
            session.Friends.Clear();
        }
        foreach (var friend in friends) Follow(connection, session, friend.CharacterId, friend.Name);
    }

    /// <summary>A social live event (chat topic, or a login/logout); returns how many connections it was queued to.</summary>
    public int Deliver(UniverseEvent e)
    {
        var delivered = e switch
        {
            ChannelMessagePosted line when line.Channel == ChannelNames.World => _world.Deliver(line.Sequence, line.ToProto()),
            // Recorded even with no member here yet: a joiner's answer may be older than a line that arrives first.
            ChannelMessagePosted line => Room(line.Channel).Deliver(line.Sequence, line.ToProto()),
            DirectMessageSent { Live: true } direct => ToCharacter(direct.ToCharacterId, s => Newer(s, direct), direct.ToProto(kept: false)),
            MailDelivered mail => ToCharacter(mail.ToCharacterId, s => Newer(s, mail), mail.ToProto()),
            CharacterLoggedIn login => ToFollowers(login.CharacterId, true, login.OccurredAtUnixMs),
            CharacterLoggedOut logout => ToFollowers(logout.CharacterId, false, logout.OccurredAtUnixMs),
            _ => 0,
        };
        Interlocked.Add(ref _delivered, delivered);
        return delivered;
    }

    private void JoinLive(ClientConnection connection, SocialSession session, string channel)
    {
        lock (session.Gate) session.Channels.Add(channel);
        Room(channel).JoinLive(connection);
    }

    private void Follow(ClientConnection connection, SocialSession session, string friendId, string name)
    {
        lock (session.Gate) session.Friends[friendId] = name;
        _followers.GetOrAdd(friendId, _ => new ConcurrentDictionary<ClientConnection, byte>())[connection] = 0;
    }

    private void Unfollow(ClientConnection connection, string friendId)
    {
        if (_followers.TryGetValue(friendId, out var followers)) followers.TryRemove(connection, out _);
    }

    private int ToCharacter(string characterId, Func<SocialSession, bool> isNew, ServerMessage message)
    {
        if (!_byCharacter.TryGetValue(characterId, out var connection) || !_sessions.TryGetValue(connection, out var session)) return 0;
        lock (session.Gate)
        {
            return isNew(session) && connection.TryEnqueue(message) ? 1 : 0;
        }
    }

    private int ToFollowers(string characterId, bool online, long at)
    {
        if (!_followers.TryGetValue(characterId, out var followers)) return 0;
        var delivered = 0;
        foreach (var connection in followers.Keys)
        {
            if (!_sessions.TryGetValue(connection, out var session)) continue;
            lock (session.Gate)
            {
                if (!session.Friends.TryGetValue(characterId, out var name)) continue;
                if (session.PresenceAt.TryGetValue(characterId, out var last) && last >= at) continue;
                session.PresenceAt[characterId] = at;
                var message = new ServerMessage { FriendPresence = new FriendPresence { CharacterId = characterId, Name = name, Online = online, OccurredAtUnixMs = at } };
                if (connection.TryEnqueue(message)) delivered++;
            }
        }
        return delivered;
    }

    private static bool Newer(SocialSession session, DirectMessageSent direct)
    {
        if (direct.Sequence <= session.LastDirect) return false;
        session.LastDirect = direct.Sequence;
        return true;
    }

    private static bool Newer(SocialSession session, MailDelivered mail)
    {
        if (mail.MailId <= session.LastMail) return false;
        session.LastMail = mail.MailId;
        return true;
    }

    private ChannelRoom Room(string channel) => _channels.GetOrAdd(channel, name => new ChannelRoom(name, _recent));
}
