using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Sessions.Sessions;

/// <summary>
/// The decisions of a user's session: one active session, one connection holding it, and a
/// grace period after a drop. Each records its events into the state (outbox + apply); the actor
/// saves, then publishes, then registers or removes the grace reminder.
/// </summary>
internal static class SessionRules
{
    /// <summary>How early a grace reminder may fire and still count (clock jitter between hosts).</summary>
    public const long GraceToleranceMs = 500;

    /// <returns>The outcome, and whether a grace period now runs for a previous session's character.</returns>
    public static (SessionStartOutcome Outcome, bool GraceStarted) Start(SessionState state, string username, StartSession request, string newSessionId, long now, TimeSpan grace)
    {
        var previous = state.SessionId;
        if (previous is not null)
        {
            state.Record(new SessionEnded(username, previous, state.CharacterId ?? request.CharacterId, state.Attached || state.GraceEndsAtUnixMs > 0 ? state.ConnectionId : null, state.GatewayId, SessionEndReasons.Replaced)
            {
                EventId = Guid.NewGuid().ToString("N"),
                OccurredAtUnixMs = now,
            });
        }

        state.Record(new SessionStarted(username, newSessionId, request.CharacterId, previous)
        {
            EventId = Guid.NewGuid().ToString("N"),
            OccurredAtUnixMs = now,
        });

        // The previous session's character may still be online with nobody driving it: the new
        // session gets one grace period to attach before that character is logged out.
        var graceStarted = previous is not null;
        if (graceStarted)
        {
            state.GraceEndsAtUnixMs = now + (long)grace.TotalMilliseconds;
        }

        return (new SessionStartOutcome(newSessionId, previous), graceStarted);
    }

    /// <returns>The outcome, and whether a running grace period was cancelled.</returns>
    public static (AttachOutcome Outcome, bool GraceCancelled) Attach(SessionState state, string username, AttachSession request, long now)
    {
        if (RequestIds.Check("attach", request.ConnectionId) is { } invalid)
        {
            return (new AttachOutcome(AttachKind.Rejected, string.Empty, invalid), false);
        }

        if (state.SessionId is null || !string.Equals(state.SessionId, request.SessionId, StringComparison.Ordinal))
        {
            return (new AttachOutcome(AttachKind.Rejected, string.Empty, new Failure(FailureCode.Unauthenticated, "this session was replaced by a newer one or does not exist; create a new session")), false);
        }

        var graceRunning = state.GraceEndsAtUnixMs > 0;
        var sameConnection = string.Equals(state.ConnectionId, request.ConnectionId, StringComparison.Ordinal);
        var resumed = sameConnection && (state.Attached || graceRunning);
        if (!sameConnection && state.Attached && state.ConnectionId is not null)
        {
            state.Record(new SessionEnded(username, state.SessionId, state.CharacterId!, state.ConnectionId, state.GatewayId, SessionEndReasons.Replaced)
            {
                EventId = Guid.NewGuid().ToString("N"),
                OccurredAtUnixMs = now,
            });
        }

        state.Record(new SessionAttached(username, state.SessionId, request.ConnectionId, request.GatewayId ?? string.Empty, resumed)
        {
            EventId = Guid.NewGuid().ToString("N"),
            OccurredAtUnixMs = now,
        });
        return (new AttachOutcome(resumed ? AttachKind.Resumed : AttachKind.Attached, state.CharacterId!, null, state.Attachments), graceRunning);
    }

    /// <summary>
    /// Only the attachment that holds the session (session, connection and gateway) may detach it: a
    /// client that resumed on another gateway leaves its old gateway's late detach behind, and that
    /// one must not start a grace period for a stream that is alive elsewhere. Nor may an older attachment of the
    /// same connection on the same gateway: a stream reopened there is attached before the old stream's detach may
    /// arrive, and that detach carries the old attachment's number (0: a caller that does not know it).
    /// </summary>
    /// <returns>The outcome; GraceStarted means the actor registers the grace reminder.</returns>
    public static DetachOutcome Detach(SessionState state, string username, DetachSession request, long now, TimeSpan grace)
    {
        if (!state.Attached
            || !string.Equals(state.SessionId, request.SessionId, StringComparison.Ordinal)
            || !string.Equals(state.ConnectionId, request.ConnectionId, StringComparison.Ordinal)
            || !string.Equals(state.GatewayId, request.GatewayId ?? string.Empty, StringComparison.Ordinal)
            || (request.Attachment != 0 && request.Attachment != state.Attachments))
        {
            return new DetachOutcome(false, state.GraceEndsAtUnixMs);
        }

        var endsAt = now + (long)grace.TotalMilliseconds;
        state.Record(new SessionDetached(username, state.SessionId!, request.ConnectionId, endsAt)
        {
            EventId = Guid.NewGuid().ToString("N"),
            OccurredAtUnixMs = now,
        });
        return new DetachOutcome(true, endsAt);
    }

    /// <summary>True when the grace period is really over: the actor logs the character out, then calls <see cref="GraceExpired"/>.</summary>
    public static bool IsGraceOver(SessionState state, long now) =>
        !state.Attached && state.GraceEndsAtUnixMs > 0 && now + GraceToleranceMs >= state.GraceEndsAtUnixMs;

    public static void GraceExpired(SessionState state, string username, long now) =>
        state.Record(new SessionGraceExpired(username, state.SessionId!, state.ConnectionId, state.CharacterId!)
        {
            EventId = Guid.NewGuid().ToString("N"),
            OccurredAtUnixMs = now,
        });
}
