using System.Collections.Concurrent;
using System.Text.Json;

namespace Quoncept.Universe.Tests.Sandbox;

/// <summary>
/// The sandbox's actor state store: what each actor saved, per (type, id, key), as the JSON bytes a
/// sidecar would store. A test reads it to see what was saved, and seeds it to start from a state.
/// </summary>
internal sealed class SandboxActorState(JsonSerializerOptions json)
{
    private readonly ConcurrentDictionary<(string Type, string Id, string Key), byte[]> _saved = new();

    private readonly List<SavedTransaction> _transactions = [];

    private readonly ConcurrentQueue<(string Type, string Id, string Key)> _reads = new();

    public int Saves { get; private set; }

    /// <summary>Every save so far, oldest first: which keys each wrote and how many bytes, as a sidecar would be sent them.</summary>
    public IReadOnlyList<SavedTransaction> Transactions
    {
        get
        {
            lock (_saved) return [.. _transactions];
        }
    }

    public bool TryGet<T>(string actorType, string actorId, string key, out T value)
    {
        if (_saved.TryGetValue((actorType, actorId, key), out var bytes))
        {
            value = JsonSerializer.Deserialize<T>(bytes, json)!;
            return true;
        }

        value = default!;
        return false;
    }

    public T Get<T>(string actorType, string actorId, string key) =>
        TryGet<T>(actorType, actorId, key, out var value)
            ? value
            : throw new KeyNotFoundException($"{actorType}/{actorId} saved nothing under '{key}'. Keys: {string.Join(", ", Keys(actorType, actorId))}");

    public void Set<T>(string actorType, string actorId, string key, T value) =>
        _saved[(actorType, actorId, key)] = JsonSerializer.SerializeToUtf8Bytes(value, json);

    public IReadOnlyList<string> Keys(string actorType, string actorId) =>
        [.. _saved.Keys.Where(k => k.Type == actorType && k.Id == actorId).Select(k => k.Key).Order(StringComparer.Ordinal)];

    /// <summary>The keys an actor's state manager read from the store (each a round trip to a sidecar), in order.</summary>
    public IReadOnlyList<string> ReadsOf(string actorType, string actorId) =>
        [.. _reads.Where(r => r.Type == actorType && r.Id == actorId).Select(r => r.Key)];

    public void ForgetReads() => _reads.Clear();

    internal byte[]? Read(string actorType, string actorId, string key)
    {
        _reads.Enqueue((actorType, actorId, key));
        return _saved.GetValueOrDefault((actorType, actorId, key));
    }

    /// <summary>One actor's changes, applied together (as the sidecar's actor state transaction).</summary>
    internal void Apply(string actorType, string actorId, IReadOnlyList<(string Key, byte[]? Value)> changes)
    {
        lock (_saved)
        {
            foreach (var (key, value) in changes)
            {
                if (value is null) _saved.TryRemove((actorType, actorId, key), out _);
                else _saved[(actorType, actorId, key)] = value;
            }

            Saves++;
            _transactions.Add(new SavedTransaction(actorType, actorId, [.. changes.Select(c => new SavedKey(c.Key, c.Value?.Length))]));
        }
    }
}
