using Dapr.Actors;

namespace Quoncept.Contracts;

/// <summary>
/// One per system (actor id = system id), type <see cref="ActorTypes.System"/>, hosted by the
/// systems app. Static info (name, security, lanes) from the systems data file; presence; every
/// live event gets the system's next sequence number. Unknown system id: NotFound.
/// </summary>
public interface ISystemActor : IActor
{
    Task<SystemLookup> GetInfoAsync();

    Task<SnapshotOutcome> GetSnapshotAsync();

    /// <summary>CharacterActor only.</summary>
    Task<SnapshotOutcome> EnterAsync(EnterSystem request);

    /// <summary>CharacterActor only.</summary>
    Task<LeaveOutcome> LeaveAsync(LeaveSystem request);

    /// <summary>Gateway: a client's chat line to everyone present (ChatPosted).</summary>
    Task<ChatOutcome> ChatAsync(ChatCommand request);
}
