using Dapr.Actors;

namespace Quoncept.Contracts;

/// <summary>
/// One per username (actor id = username), type <see cref="ActorTypes.Session"/>, hosted by the
/// sessions app. One active session per user; tracks which connection holds it; a dropped
/// connection gets a grace period (<see cref="ConfigKeys.SessionGracePeriod"/>) to come back with
/// the same connection id before the character is logged out (reason "timeout").
/// </summary>
public interface ISessionActor : IActor
{
    /// <summary>Sessions app only. Ends the previous session (publishes SessionEnded "replaced" on the live topic).</summary>
    Task<SessionStartOutcome> StartAsync(StartSession request);

    /// <summary>
    /// Gateway, after validating the token: Rejected (Unauthenticated) when the session is not the
    /// current one; Resumed when the same connection id returns; else Attached. A different
    /// connection taking over ends the previous connection's stream (SessionEnded "replaced" with
    /// the previous connection id).
    /// </summary>
    Task<AttachOutcome> AttachAsync(AttachSession request);

    /// <summary>Gateway, when a stream ends without Logout: starts the grace reminder.</summary>
    Task<DetachOutcome> DetachAsync(DetachSession request);

    Task<SessionStatus> GetStatusAsync();
}
