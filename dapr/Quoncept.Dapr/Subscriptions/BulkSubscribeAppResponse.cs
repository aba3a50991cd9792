namespace Quoncept.Dapr;

/// <summary>
/// A bulk subscriber's answer, written as <c>{"statuses":[{"entryId","status"}]}</c>. An entry left out is
/// redelivered (Dapr treats it as RETRY).
/// </summary>
public sealed class BulkSubscribeAppResponse(IReadOnlyList<BulkSubscribeAppResponseEntry> statuses)
{
    public IReadOnlyList<BulkSubscribeAppResponseEntry> Statuses { get; } = statuses ?? throw new ArgumentNullException(nameof(statuses));

    /// <summary>The same status for every entry of <paramref name="message"/>.</summary>
    public static BulkSubscribeAppResponse All<TValue>(BulkSubscribeMessage<TValue> message, BulkSubscribeAppResponseStatus status)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new BulkSubscribeAppResponse(message.Entries.Select(e => new BulkSubscribeAppResponseEntry(e.EntryId, status)).ToList());
    }
}
