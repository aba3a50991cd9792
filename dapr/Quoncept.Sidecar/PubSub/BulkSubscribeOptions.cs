namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// <c>bulkSubscribe</c> of a subscription (https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-bulk/):
/// deliver up to <see cref="MaxMessagesCount"/> events per request, waiting at most
/// <see cref="MaxAwaitDurationMs"/> for a batch to fill. Dapr's defaults are 100 and 1000 ms.
/// </summary>
internal sealed record BulkSubscribeOptions(int MaxMessagesCount, int MaxAwaitDurationMs)
{
    public const int Limit = 1000;

    public static BulkSubscribeOptions Create(int? maxMessagesCount, int? maxAwaitDurationMs)
    {
        var count = maxMessagesCount ?? 100;
        var wait = maxAwaitDurationMs ?? 1000;
        if (count is < 1 or > Limit)
        {
            throw new FormatException($"bulkSubscribe.maxMessagesCount {count} must be between 1 and {Limit}");
        }
        if (wait is < 0 or > 60_000)
        {
            throw new FormatException($"bulkSubscribe.maxAwaitDurationMs {wait} must be between 0 and 60000");
        }
        return new BulkSubscribeOptions(count, wait);
    }
}
