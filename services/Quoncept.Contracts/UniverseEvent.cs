using System.Text.Json.Serialization;

namespace Quoncept.Contracts;

/// <summary>
/// Every event published on <see cref="Topics.Events"/>. JSON
/// carries a "type" discriminator (the derived type's name), so a subscriber deserializes
/// <see cref="UniverseEvent"/> and switches on the concrete type.
/// Delivery is at least once: <see cref="EventId"/> identifies duplicates (for system events
/// it is "{systemId}:{sequence}").
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CharacterArrived), nameof(CharacterArrived))]
[JsonDerivedType(typeof(CharacterDeparted), nameof(CharacterDeparted))]
[JsonDerivedType(typeof(ChatPosted), nameof(ChatPosted))]
[JsonDerivedType(typeof(ChatsPosted), nameof(ChatsPosted))]
[JsonDerivedType(typeof(SessionStarted), nameof(SessionStarted))]
[JsonDerivedType(typeof(SessionEnded), nameof(SessionEnded))]
[JsonDerivedType(typeof(SessionAttached), nameof(SessionAttached))]
[JsonDerivedType(typeof(SessionDetached), nameof(SessionDetached))]
[JsonDerivedType(typeof(SessionGraceExpired), nameof(SessionGraceExpired))]
[JsonDerivedType(typeof(CharacterLoggedIn), nameof(CharacterLoggedIn))]
[JsonDerivedType(typeof(CharacterLoggedOut), nameof(CharacterLoggedOut))]
[JsonDerivedType(typeof(CharacterMoved), nameof(CharacterMoved))]
[JsonDerivedType(typeof(ChannelMessagePosted), nameof(ChannelMessagePosted))]
[JsonDerivedType(typeof(DirectMessageSent), nameof(DirectMessageSent))]
[JsonDerivedType(typeof(MailDelivered), nameof(MailDelivered))]
[JsonDerivedType(typeof(ChannelMembershipChanged), nameof(ChannelMembershipChanged))]
public abstract record UniverseEvent
{
    public required string EventId { get; init; }

    public required long OccurredAtUnixMs { get; init; }
}

/// <summary>A live event of one system; <see cref="Sequence"/> increases by one per event of that system.</summary>
public abstract record SystemEvent(string SystemId, ulong Sequence) : UniverseEvent;

// Live events (gateways fan them out; see Topics.LiveMatch).

/// <param name="FromSystemId">Null when the character logged in rather than jumped in.</param>
public sealed record CharacterArrived(string SystemId, ulong Sequence, CharacterView Character, string? FromSystemId)
    : SystemEvent(SystemId, Sequence);

/// <param name="ToSystemId">Null when the character logged out or timed out.</param>
/// <param name="Reason">One of <see cref="DepartureReasons"/>.</param>
public sealed record CharacterDeparted(string SystemId, ulong Sequence, string CharacterId, string CharacterName, string? ToSystemId, string Reason)
    : SystemEvent(SystemId, Sequence);

public sealed record ChatPosted(string SystemId, ulong Sequence, string CharacterId, string CharacterName, string Text)
    : SystemEvent(SystemId, Sequence);

/// <summary>
/// Several chat lines said in one turn of the system, each with its own sequence number (consecutive);
/// <see cref="SystemEvent.Sequence"/> is the last one's. One event, so that one publish carries them in order:
/// Dapr promises no order among the entries of a bulk publish. Consumers take it as its lines, one by one.
/// </summary>
public sealed record ChatsPosted(string SystemId, ulong Sequence, IReadOnlyList<ChatPosted> Lines)
    : SystemEvent(SystemId, Sequence);

/// <summary>
/// The session is over (<see cref="SessionEndReasons"/>). The gateway holding
/// <paramref name="ConnectionId"/> (when not null) sends Terminate{reason} and closes it.
/// </summary>
public sealed record SessionEnded(string Username, string SessionId, string CharacterId, string? ConnectionId, string? GatewayId, string Reason)
    : UniverseEvent;

// The other events.

public sealed record SessionStarted(string Username, string SessionId, string CharacterId, string? ReplacedSessionId) : UniverseEvent;

public sealed record SessionAttached(string Username, string SessionId, string ConnectionId, string GatewayId, bool Resumed) : UniverseEvent;

public sealed record SessionDetached(string Username, string SessionId, string ConnectionId, long GraceEndsAtUnixMs) : UniverseEvent;

/// <summary>The connection did not come back in time; the character is being logged out.</summary>
public sealed record SessionGraceExpired(string Username, string SessionId, string? ConnectionId, string CharacterId) : UniverseEvent;

public sealed record CharacterLoggedIn(string CharacterId, string SystemId) : UniverseEvent;

public sealed record CharacterLoggedOut(string CharacterId, string SystemId, string Reason) : UniverseEvent;

public sealed record CharacterMoved(string CharacterId, string FromSystemId, string ToSystemId) : UniverseEvent;
