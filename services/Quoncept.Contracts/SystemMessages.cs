namespace Quoncept.Contracts;

/// <summary>Called by CharacterActor: the character is now here. Idempotent: entering twice publishes one arrival.</summary>
public sealed record EnterSystem(CharacterView Character, string? FromSystemId);

/// <summary>
/// Called by CharacterActor. With <paramref name="ToSystemId"/> set the system checks the jump
/// lane first (not a neighbour: FailedPrecondition, nothing changes). Idempotent: leaving when
/// not present publishes nothing.
/// </summary>
public sealed record LeaveSystem(string CharacterId, string? ToSystemId, string Reason);

/// <summary>Chat from a client; the speaker must be present (else FailedPrecondition). Text 1..500 characters.</summary>
public sealed record ChatCommand(string RequestId, string ConnectionId, string CharacterId, string Text);

/// <summary>Chat lines of several clients, judged one after the other in one turn (at most <see cref="ChatLimits.MaxBatch"/>).</summary>
public sealed record ChatBatch(IReadOnlyList<ChatCommand> Lines);

/// <summary>One outcome per line of the <see cref="ChatBatch"/>, in its order; or <paramref name="Error"/> for the whole batch.</summary>
public sealed record ChatBatchOutcome(IReadOnlyList<ChatOutcome> Outcomes, Failure? Error);

public sealed record SnapshotOutcome(SystemSnapshotView? Snapshot, Failure? Error);

public sealed record LeaveOutcome(bool WasPresent, Failure? Error);

/// <summary>The sequence number the chat message got.</summary>
public sealed record ChatOutcome(ulong Sequence, Failure? Error);

/// <summary>Unknown system id: Error.Code = NotFound.</summary>
public sealed record SystemLookup(SystemInfoView? System, Failure? Error);

/// <summary>Chat text limits (the proto's Chat.text: 1..500 characters).</summary>
public static class ChatLimits
{
    public const int MaxTextLength = 500;

    /// <summary>Most lines in one <see cref="ChatBatch"/>.</summary>
    public const int MaxBatch = 64;
}
