namespace Quoncept.Dapr.Actors;

/// <summary>
/// An actor's state, cached and change-tracked: the runtime saves every change in ONE actor state transaction
/// after a method succeeds, and throws the changes away when it fails.
/// </summary>
public interface IActorStateManager
{
    /// <summary>Adds a new key; throws <see cref="InvalidOperationException"/> when it exists.</summary>
    Task AddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default);

    Task<bool> TryAddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="KeyNotFoundException"/> when the key does not exist.</summary>
    Task<T> GetStateAsync<T>(string stateName, CancellationToken cancellationToken = default);

    Task<ConditionalValue<T>> TryGetStateAsync<T>(string stateName, CancellationToken cancellationToken = default);

    Task SetStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="KeyNotFoundException"/> when the key does not exist.</summary>
    Task RemoveStateAsync(string stateName, CancellationToken cancellationToken = default);

    Task<bool> TryRemoveStateAsync(string stateName, CancellationToken cancellationToken = default);

    Task<bool> ContainsStateAsync(string stateName, CancellationToken cancellationToken = default);

    Task<T> GetOrAddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default);

    Task<T> AddOrUpdateStateAsync<T>(string stateName, T addValue, Func<string, T, T> updateValueFactory, CancellationToken cancellationToken = default);

    /// <summary>Drops the cache and every unsaved change.</summary>
    Task ClearCacheAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves unsaved changes now, in one transaction (the runtime also does this after each method).</summary>
    Task SaveStateAsync(CancellationToken cancellationToken = default);
}
