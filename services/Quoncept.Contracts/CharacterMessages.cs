namespace Quoncept.Contracts;

// Client requests carry the client's request id and the connection id it came on; an actor
// applies a (connection id, request id) pair at most once and answers a repeat with the
// first outcome.

public sealed record LoginCommand(string RequestId, string ConnectionId);

/// <summary>Logout by the client (<see cref="DepartureReasons.Logout"/>) or by the grace period (<see cref="DepartureReasons.Timeout"/>).</summary>
public sealed record LogoutCommand(string RequestId, string ConnectionId, string Reason);

public sealed record MoveCommand(string RequestId, string ConnectionId, string ToSystemId);

/// <summary>The character online in <paramref name="System"/> (a repeated login answers the current snapshot, no new arrival).</summary>
public sealed record LoginOutcome(CharacterView? Character, SystemSnapshotView? System, Failure? Error);

public sealed record LogoutOutcome(CharacterView? Character, Failure? Error);

/// <summary>Not a neighbour: Error.Code = FailedPrecondition. Otherwise the snapshot of the system entered.</summary>
public sealed record MoveOutcome(CharacterView? Character, SystemSnapshotView? System, Failure? Error);

/// <summary>Unknown character id: Error.Code = NotFound.</summary>
public sealed record CharacterLookup(CharacterView? Character, Failure? Error);
