namespace Quoncept.Dapr;

/// <summary>One event of a bulk publish, as the official SDK names it: the id the sidecar reports failures by, the data and its content type.</summary>
public sealed class BulkPublishEntry<TValue>(string entryId, TValue eventData, string contentType, IReadOnlyDictionary<string, string>? metadata = null)
{
    public string EntryId { get; } = entryId;

    public TValue EventData { get; } = eventData;

    public string ContentType { get; } = contentType;

    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata ?? new Dictionary<string, string>();
}
