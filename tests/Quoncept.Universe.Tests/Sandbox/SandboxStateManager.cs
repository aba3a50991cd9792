using System.Text.Json;
using Dapr.Actors.Runtime;

namespace Quoncept.Universe.Tests.Sandbox;

/// <summary>
/// An actor's state manager in the sandbox, with the SDK's semantics: reads are cached for the
/// activation, changes are tracked and written together by <see cref="SaveStateAsync"/> (the
/// sandbox calls it after each successful turn, as the SDK's runtime does), and
/// <see cref="ClearCacheAsync"/> forgets unsaved changes (after a failed turn). Values cross JSON
/// on the way in and out, so an actor never shares an object with what was saved.
/// </summary>
internal sealed class SandboxStateManager(SandboxActorState store, string actorType, string actorId, JsonSerializerOptions json) : IActorStateManager
{
    private readonly Dictionary<string, Tracked> _cache = new(StringComparer.Ordinal);

    public Task UnloadStateAsync(string stateName, UnloadStateOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!_cache.TryGetValue(stateName, out var tracked)) return Task.CompletedTask;
        if (tracked.Kind is not Change.None && options?.AllowUnloadingWhenStateModified is not true)
        {
            throw new InvalidOperationException($"Cannot unload state '{stateName}' because it has been modified and not yet persisted. Set AllowUnloadingWhenStateModified to true to override.");
        }

        _cache.Remove(stateName);
        return Task.CompletedTask;
    }

    public async Task AddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        if (!await TryAddStateAsync(stateName, value, cancellationToken)) throw new InvalidOperationException($"Actor state '{stateName}' already exists.");
    }

    public Task AddStateAsync<T>(string stateName, T value, TimeSpan ttl, CancellationToken cancellationToken = default) => throw TtlNotSupported();

    public async Task<T> GetStateAsync<T>(string stateName, CancellationToken cancellationToken = default)
    {
        var found = await TryGetStateAsync<T>(stateName, cancellationToken);
        return found.HasValue ? found.Value : throw new KeyNotFoundException($"Actor state '{stateName}' was not found.");
    }

    public Task SetStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(stateName, out var tracked))
        {
            tracked.Value = value;
            tracked.Type = typeof(T);
            tracked.Kind = tracked.Kind is Change.Add ? Change.Add : Change.Update;
        }
        else
        {
            _cache[stateName] = new Tracked(value, typeof(T), store.Read(actorType, actorId, stateName) is null ? Change.Add : Change.Update);
        }

        return Task.CompletedTask;
    }

    public Task SetStateAsync<T>(string stateName, T value, TimeSpan ttl, CancellationToken cancellationToken = default) => throw TtlNotSupported();

    public async Task RemoveStateAsync(string stateName, CancellationToken cancellationToken = default)
    {
        if (!await TryRemoveStateAsync(stateName, cancellationToken)) throw new KeyNotFoundException($"Actor state '{stateName}' was not found.");
    }

    public async Task<bool> TryAddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        if (await ContainsStateAsync(stateName, cancellationToken)) return false;
        _cache[stateName] = new Tracked(value, typeof(T), _cache.TryGetValue(stateName, out var removed) && removed.Kind is Change.Remove ? Change.Update : Change.Add);
        return true;
    }

    public Task<bool> TryAddStateAsync<T>(string stateName, T value, TimeSpan ttl, CancellationToken cancellationToken = default) => throw TtlNotSupported();

    public Task<ConditionalValue<T>> TryGetStateAsync<T>(string stateName, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(stateName, out var tracked))
        {
            return Task.FromResult(tracked.Kind is Change.Remove ? new ConditionalValue<T>(false, default!) : new ConditionalValue<T>(true, (T)tracked.Value!));
        }

        if (store.Read(actorType, actorId, stateName) is not { } bytes) return Task.FromResult(new ConditionalValue<T>(false, default!));
        var value = JsonSerializer.Deserialize<T>(bytes, json)!;
        _cache[stateName] = new Tracked(value, typeof(T), Change.None);
        return Task.FromResult(new ConditionalValue<T>(true, value));
    }

    public async Task<bool> TryRemoveStateAsync(string stateName, CancellationToken cancellationToken = default)
    {
        if (!await ContainsStateAsync(stateName, cancellationToken)) return false;
        if (_cache.TryGetValue(stateName, out var tracked) && tracked.Kind is Change.Add) _cache.Remove(stateName);
        else _cache[stateName] = new Tracked(null, typeof(object), Change.Remove);
        return true;
    }

    public Task<bool> ContainsStateAsync(string stateName, CancellationToken cancellationToken = default) =>
        Task.FromResult(_cache.TryGetValue(stateName, out var tracked) ? tracked.Kind is not Change.Remove : store.Read(actorType, actorId, stateName) is not null);

    public async Task<T> GetOrAddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        var found = await TryGetStateAsync<T>(stateName, cancellationToken);
        if (found.HasValue) return found.Value;
        await SetStateAsync(stateName, value, cancellationToken);
        return value;
    }

    public Task<T> GetOrAddStateAsync<T>(string stateName, T value, TimeSpan ttl, CancellationToken cancellationToken = default) => throw TtlNotSupported();

    public async Task<T> AddOrUpdateStateAsync<T>(string stateName, T addValue, Func<string, T, T> updateValueFactory, CancellationToken cancellationToken = default)
    {
        var found = await TryGetStateAsync<T>(stateName, cancellationToken);
        var value = found.HasValue ? updateValueFactory(stateName, found.Value) : addValue;
        await SetStateAsync(stateName, value, cancellationToken);
        return value;
    }

    public Task<T> AddOrUpdateStateAsync<T>(string stateName, T addValue, Func<string, T, T> updateValueFactory, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        throw TtlNotSupported();

    public Task ClearCacheAsync(CancellationToken cancellationToken = default)
    {
        _cache.Clear();
        return Task.CompletedTask;
    }

    public Task SaveStateAsync(CancellationToken cancellationToken = default)
    {
        var changes = _cache.Where(e => e.Value.Kind is not Change.None)
            .Select(e => (e.Key, e.Value.Kind is Change.Remove ? null : JsonSerializer.SerializeToUtf8Bytes(e.Value.Value, e.Value.Type, json)))
            .ToList();
        if (changes.Count == 0) return Task.CompletedTask;
        store.Apply(actorType, actorId, changes);
        foreach (var (key, value) in changes)
        {
            if (value is null) _cache.Remove(key);
            else _cache[key].Kind = Change.None;
        }

        return Task.CompletedTask;
    }

    private static NotSupportedException TtlNotSupported() =>
        new("The actor sandbox keeps state without expiry: state TTLs are proven against the local runtime, not here.");

    private enum Change
    {
        None,
        Add,
        Update,
        Remove,
    }

    private sealed class Tracked(object? value, Type type, Change kind)
    {
        public object? Value { get; set; } = value;

        public Type Type { get; set; } = type;

        public Change Kind { get; set; } = kind;
    }
}
