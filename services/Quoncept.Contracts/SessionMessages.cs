namespace Quoncept.Contracts;

/// <summary>Body of POST sessions (see <see cref="SessionsApi"/>).</summary>
public sealed record OpenSession(string Username);

/// <summary>A new session: <paramref name="Token"/> is the signed JWT (see <see cref="SessionTokens"/>).</summary>
public sealed record SessionGrant(string SessionId, string Token, string CharacterId, string Username, long ExpiresAtUnixMs);

/// <summary>Called by the sessions app only: starts a new session, ending any previous one.</summary>
public sealed record StartSession(string CharacterId);

/// <param name="ReplacedSessionId">The session this one ended, if any.</param>
public sealed record SessionStartOutcome(string SessionId, string? ReplacedSessionId);

/// <summary>A gateway takes the session's stream for connection <paramref name="ConnectionId"/>.</summary>
public sealed record AttachSession(string SessionId, string ConnectionId, string GatewayId);

public enum AttachKind
{
    /// <summary>Refused: <see cref="AttachOutcome.Error"/> says why (Unauthenticated when the session was replaced).</summary>
    Rejected = 0,

    /// <summary>A new connection holds the session; the client logs in (Login is idempotent when already online).</summary>
    Attached = 1,

    /// <summary>The same connection id came back within the grace period: nothing changed for anyone.</summary>
    Resumed = 2,
}

/// <param name="Attachment">
/// This attachment's number (each Attach that is not refused takes the next one). The gateway hands it back in
/// <see cref="DetachSession"/>, so that a stream's late detach cannot end a newer attachment of the same connection id.
/// </param>
public sealed record AttachOutcome(AttachKind Kind, string CharacterId, Failure? Error, long Attachment = 0);

/// <summary>
/// Gateway <paramref name="GatewayId"/> lost connection <paramref name="ConnectionId"/>: the grace period starts,
/// but only if that gateway still holds the session (a late detach after a resume elsewhere is ignored) and,
/// when <paramref name="Attachment"/> is set, only if no newer Attach came since (a stream reopened with the same
/// connection id on the same gateway can be attached before the old stream's detach arrives).
/// </summary>
public sealed record DetachSession(string SessionId, string ConnectionId, string GatewayId, long Attachment = 0);

/// <param name="GraceStarted">False when this connection did not hold the current session (nothing to do).</param>
public sealed record DetachOutcome(bool GraceStarted, long GraceEndsAtUnixMs);

/// <summary>The current session of a user, if any.</summary>
public sealed record SessionStatus(string? SessionId, string? ConnectionId, string? GatewayId, bool Attached, long GraceEndsAtUnixMs);
