namespace Quoncept.Dapr;

/// <summary>
/// One event of a bulk delivery. <see cref="Event"/> is the event's payload read as <typeparamref name="TValue"/>: a
/// CloudEvent's <c>data</c>, or the raw JSON payload of a raw-payload subscription (what <c>UseCloudEvents()</c> hands a
/// single-event handler).
/// </summary>
public sealed class BulkSubscribeMessageEntry<TValue>(string entryId, string contentType, IReadOnlyDictionary<string, string> metadata, TValue eventData)
{
    /// <summary>Answer this entry's status with this id.</summary>
    public string EntryId { get; } = entryId;

    /// <summary>The entry's content type as delivered (<c>application/cloudevents+json</c> for CloudEvents).</summary>
    public string ContentType { get; } = contentType;

    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;

    public TValue Event { get; } = eventData;
}
