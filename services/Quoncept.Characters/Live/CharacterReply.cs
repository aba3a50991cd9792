using Quoncept.Contracts;

namespace Quoncept.Characters.Live;

/// <summary>
/// The first answer to a client request, as remembered in the request log. Snapshots are not
/// stored: a repeated Login or Move answers the remembered character with the system's current
/// snapshot, because an old snapshot would hide events the client has not seen.
/// </summary>
internal sealed record CharacterReply(string Kind, CharacterView? Character, Failure? Error);
