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
}
