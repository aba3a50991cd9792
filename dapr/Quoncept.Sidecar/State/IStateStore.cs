namespace Quoncept.Sidecar.State;

/// <summary>
/// A Dapr state store component. Keys are full store keys (see <see cref="StateKeys"/>); values are
/// opaque bytes. Etag failures throw <see cref="StateETagMismatchException"/>, or
/// <see cref="StateETagInvalidException"/> from a store whose etags have a format it checks (daprd's Redis and
/// PostgreSQL stores parse theirs; its SQLite and in-memory stores only compare); a transaction applies all its
/// operations or none.
/// New stores (state.redis, state.postgresql) implement this and register in <c>ComponentFactory</c>.
/// </summary>
internal interface IStateStore : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Component metadata <c>actorStateStore: "true"</c>.</summary>
    bool IsActorStateStore { get; }

    ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>One result per key, in the order asked; null where the key is absent.</summary>
    ValueTask<IReadOnlyList<StateEntry?>> GetBulkAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Applies one upsert or delete; returns the new etag (null after a delete).</summary>
    ValueTask<string?> ApplyAsync(StateOperation operation, CancellationToken cancellationToken);

    /// <summary>Applies every operation atomically, in order.</summary>
    ValueTask TransactAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken);
}
