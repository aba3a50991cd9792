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

    /// <summary>A client's chat line to everyone present (ChatPosted): a batch of one.</summary>
    Task<ChatOutcome> ChatAsync(ChatCommand request);

    /// <summary>
    /// Gateway: the chat lines its clients said while its previous batch for this system was in flight, in one
    /// turn (one save, one event: ChatPosted for one new line, ChatsPosted for more). Each line is judged as
    /// <see cref="ChatAsync"/> would judge it alone; the outcomes come in the order of the lines.
    /// </summary>
    Task<ChatBatchOutcome> ChatBatchAsync(ChatBatch request);
}
