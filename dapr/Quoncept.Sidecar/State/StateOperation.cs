namespace Quoncept.Sidecar.State;

/// <summary>
/// One write to a state store: an upsert or a delete of a full store key (already prefixed, see
/// <see cref="StateKeys"/>). <see cref="ETag"/> null means "no etag check" unless
/// <see cref="Concurrency"/> is first-write, where a missing etag means "only if absent".
/// </summary>
internal sealed record StateOperation(
    StateOperationKind Kind,
    string Key,
    byte[] Value,
    string? ETag,
    StateConcurrency Concurrency,
    TimeSpan? Ttl)
{
    public static StateOperation Upsert(string key, byte[] value, string? etag = null,
        StateConcurrency concurrency = StateConcurrency.LastWrite, TimeSpan? ttl = null) =>
        new(StateOperationKind.Upsert, key, value, etag, concurrency, ttl);

    public static StateOperation Delete(string key, string? etag = null,
        StateConcurrency concurrency = StateConcurrency.LastWrite) =>
        new(StateOperationKind.Delete, key, [], etag, concurrency, null);
}
