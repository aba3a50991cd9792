using Microsoft.Extensions.Primitives;

namespace Quoncept.Sidecar.Actors;

/// <summary>
/// One call into an actor: <see cref="MethodPath"/> is what follows <c>/actors/{type}/{id}/method/</c>
/// on the app side (<c>{method}</c>, <c>remind/{name}</c> or <c>timer/{name}</c>), already escaped.
/// </summary>
internal sealed record ActorCall(
    ActorKey Actor,
    string MethodPath,
    byte[] Body,
    string? ContentType = null,
    string? Query = null,
    IEnumerable<KeyValuePair<string, StringValues>>? Headers = null,
    string? ReentrancyId = null);
