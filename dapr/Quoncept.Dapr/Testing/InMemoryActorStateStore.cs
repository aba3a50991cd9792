using System.Text.Json;
using Quoncept.Dapr.Actors.Runtime;

namespace Quoncept.Dapr.Testing;

/// <summary>
/// The test host's actor state store: what a sidecar would persist, kept as UTF-8 JSON per (type, id, key).
/// Survives <see cref="ActorTestHost.DeactivateAllAsync"/>, like a real store survives a process restart.
/// </summary>
public sealed class InMemoryActorStateStore : IActorStateProvider
{
    private readonly Dictionary<(string Type, string Id, string Key), byte[]> _values = new();
    private readonly JsonSerializerOptions _jsonOptions;

    internal InMemoryActorStateStore(JsonSerializerOptions jsonOptions) => _jsonOptions = jsonOptions;

    /// <summary>How many state transactions actors have committed.</summary>
    public int TransactionCount { get; private set; }

    public bool Contains(string actorType, string actorId, string key)
    {
        lock (_values)
        {
            return _values.ContainsKey((actorType, actorId, key));
        }
    }

    /// <summary>The stored value; throws <see cref="KeyNotFoundException"/> when absent.</summary>
    public T Get<T>(string actorType, string actorId, string key) =>
        TryGet<T>(actorType, actorId, key, out var value) ? value : throw new KeyNotFoundException($"Actor {actorType}/{actorId} has no saved state '{key}'.");

    public bool TryGet<T>(string actorType, string actorId, string key, out T value)
    {
        byte[]? bytes;
        lock (_values)
        {
            _values.TryGetValue((actorType, actorId, key), out bytes);
        }

        value = bytes is null ? default! : JsonSerializer.Deserialize<T>(bytes, _jsonOptions)!;
        return bytes is not null;
    }

    /// <summary>Saved keys of one actor.</summary>
    public IReadOnlyList<string> Keys(string actorType, string actorId)
    {
        lock (_values)
        {
            return _values.Keys.Where(k => k.Type == actorType && k.Id == actorId).Select(k => k.Key).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Seeds state before a test, as if an earlier run had saved it.</summary>
    public void Set<T>(string actorType, string actorId, string key, T value)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, _jsonOptions);
        lock (_values)
        {
            _values[(actorType, actorId, key)] = bytes;
        }
    }

    Task<byte[]?> IActorStateProvider.TryLoadStateAsync(string actorType, string actorId, string stateName, CancellationToken cancellationToken)
    {
        lock (_values)
        {
            return Task.FromResult(_values.TryGetValue((actorType, actorId, stateName), out var bytes) ? bytes : null);
        }
    }

    Task IActorStateProvider.SaveStateAsync(string actorType, string actorId, IReadOnlyList<ActorStateChange> changes, CancellationToken cancellationToken)
    {
        lock (_values)
        {
            foreach (var change in changes)
            {
                if (change.IsDelete)
                {
                    _values.Remove((actorType, actorId, change.StateName));
                }
                else
                {
                    _values[(actorType, actorId, change.StateName)] = change.Value!;
                }
            }

            TransactionCount++;
        }

        return Task.CompletedTask;
    }
}
