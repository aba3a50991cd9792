namespace Quoncept.Dapr;

/// <summary>
/// The outcome of a bulk publish: the entries the sidecar could not publish (empty when all
/// were). Bulk publish is not transactional: the others were published.
/// </summary>
public sealed class BulkPublishResponse<TValue>(IReadOnlyList<BulkPublishResponseFailedEntry<TValue>> failedEntries)
{
    public IReadOnlyList<BulkPublishResponseFailedEntry<TValue>> FailedEntries { get; } = failedEntries;
}

/// <summary>An entry of a bulk publish that failed, with the sidecar's reason.</summary>
public sealed class BulkPublishResponseFailedEntry<TValue>(BulkPublishEntry<TValue> entry, string errorMessage)
{
    public BulkPublishEntry<TValue> Entry { get; } = entry;

    public string ErrorMessage { get; } = errorMessage;
}
