namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>Where actor state lives: the sidecar's actor state API, or the test host's in-memory store.</summary>
internal interface IActorStateProvider
{
    /// <summary>The stored UTF-8 JSON of one key, or null when absent.</summary>
    Task<byte[]?> TryLoadStateAsync(string actorType, string actorId, string stateName, CancellationToken cancellationToken);

    /// <summary>Applies every change atomically.</summary>
    Task SaveStateAsync(string actorType, string actorId, IReadOnlyList<ActorStateChange> changes, CancellationToken cancellationToken);
}
