using System.Globalization;

namespace Quoncept.Sidecar.State;

/// <summary>
/// <c>state.in-memory</c>: a process-local store with numeric etags, TTLs and atomic transactions
/// (https://docs.dapr.io/reference/components-reference/supported-state-stores/setup-inmemory/).
/// One lock keeps every operation and transaction atomic; contents are lost when the runtime stops.
/// </summary>
internal sealed class InMemoryStateStore(string name, bool isActorStateStore, TimeProvider time) : IStateStore
{
    private readonly Dictionary<string, Item> _items = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version;

    public string Name { get; } = name;

    public bool IsActorStateStore { get; } = isActorStateStore;

    public ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(Find(key));
        }
    }

    public ValueTask<IReadOnlyList<StateEntry?>> GetBulkAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var results = new StateEntry?[keys.Count];
        lock (_gate)
        {
            for (var i = 0; i < keys.Count; i++)
            {
                results[i] = Find(keys[i]);
            }
        }
        return ValueTask.FromResult<IReadOnlyList<StateEntry?>>(results);
    }

    public ValueTask<string?> ApplyAsync(StateOperation operation, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Check(operation);
            return ValueTask.FromResult(Write(operation));
        }
    }

    public ValueTask TransactAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Check every etag against the state as it will be when the operation runs, before writing anything.
            var pending = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var operation in operations)
            {
                var current = pending.TryGetValue(operation.Key, out var planned) ? planned : Find(operation.Key)?.ETag;
                CheckAgainst(operation, current);
                pending[operation.Key] = operation.Kind == StateOperationKind.Upsert ? "planned" : null;
            }
            foreach (var operation in operations)
            {
                Write(operation);
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private StateEntry? Find(string key)
    {
        if (!_items.TryGetValue(key, out var item))
        {
            return null;
        }
        if (item.ExpiresAt is { } expiry && expiry <= time.GetUtcNow())
        {
            _items.Remove(key);
            return null;
        }
        return new StateEntry(key, item.Value, item.ETag);
    }

    private void Check(StateOperation operation) => CheckAgainst(operation, Find(operation.Key)?.ETag);

    private static void CheckAgainst(StateOperation operation, string? currentETag)
    {
        if (string.IsNullOrEmpty(operation.ETag))
        {
            if (operation.Concurrency == StateConcurrency.FirstWrite && operation.Kind == StateOperationKind.Upsert && currentETag is not null)
            {
                throw new StateETagMismatchException(operation.Key);
            }
            return;
        }
        // As daprd's state.in-memory: etags are compared, never parsed; one it did not issue is a mismatch.
        if (currentETag != operation.ETag)
        {
            throw new StateETagMismatchException(operation.Key);
        }
    }

    private string? Write(StateOperation operation)
    {
        if (operation.Kind == StateOperationKind.Delete)
        {
            _items.Remove(operation.Key);
            return null;
        }
        var etag = (++_version).ToString(CultureInfo.InvariantCulture);
        DateTimeOffset? expiresAt = operation.Ttl is { } ttl ? time.GetUtcNow() + ttl : null;
        _items[operation.Key] = new Item(operation.Value, etag, expiresAt);
        return etag;
    }

    private sealed record Item(byte[] Value, string ETag, DateTimeOffset? ExpiresAt);
}
