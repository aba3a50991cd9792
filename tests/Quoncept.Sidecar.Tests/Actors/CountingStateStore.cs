using System.Collections.Concurrent;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Tests.Actors;

/// <summary>
/// An in-memory actor state store that counts the writes (upserts and deletes, alone or in a transaction)
/// per key, and can be told to fail the next transaction before it applies anything.
/// </summary>
internal sealed class CountingStateStore : IStateStore
{
    private readonly InMemoryStateStore _inner = new("statestore", isActorStateStore: true, TimeProvider.System);

    public ConcurrentDictionary<string, int> Writes { get; } = new(StringComparer.Ordinal);

    public bool FailNextTransaction { get; set; }

    public string Name => _inner.Name;

    public bool IsActorStateStore => true;

    public ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken) => _inner.GetAsync(key, cancellationToken);

    public ValueTask<IReadOnlyList<StateEntry?>> GetBulkAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        _inner.GetBulkAsync(keys, cancellationToken);

    public async ValueTask<string?> ApplyAsync(StateOperation operation, CancellationToken cancellationToken)
    {
        var etag = await _inner.ApplyAsync(operation, cancellationToken);
        Writes.AddOrUpdate(operation.Key, 1, (_, n) => n + 1);
        return etag;
    }

    public async ValueTask TransactAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        if (FailNextTransaction)
        {
            FailNextTransaction = false;
            throw new IOException("simulated crash before the transaction was applied");
        }
        await _inner.TransactAsync(operations, cancellationToken);
        foreach (var operation in operations)
        {
            Writes.AddOrUpdate(operation.Key, 1, (_, n) => n + 1);
        }
    }

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
