namespace Quoncept.Dapr;

/// <summary>
/// <c>[BulkSubscribe("topic", maxMessagesCount, maxAwaitDurationMs)]</c> beside a <see cref="TopicAttribute"/>: the sidecar
/// delivers that topic's events to this endpoint in bulk requests, read with
/// <see cref="BulkSubscribeMessage.HandleAsync{TValue}"/>. Defaults are Dapr's: 100 events, 1000 ms.
/// Arguments are checked here, so a bad value fails when the app maps its endpoints, not when the sidecar subscribes.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class BulkSubscribeAttribute : Attribute, IBulkSubscribeMetadata
{
    /// <summary>The largest <c>maxMessagesCount</c> the local runtime (dapr/Quoncept.Sidecar) accepts.</summary>
    public const int MaxMessagesCountLimit = 1000;

    /// <summary>The longest <c>maxAwaitDurationMs</c> the local runtime accepts.</summary>
    public const int MaxAwaitDurationMsLimit = 60_000;

    public BulkSubscribeAttribute(string topicName, int maxMessagesCount, int maxAwaitDurationMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicName);
        if (maxMessagesCount is < 1 or > MaxMessagesCountLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessagesCount), maxMessagesCount,
                $"Bulk subscription to '{topicName}': maxMessagesCount must be between 1 and {MaxMessagesCountLimit}.");
        }

        if (maxAwaitDurationMs is < 0 or > MaxAwaitDurationMsLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAwaitDurationMs), maxAwaitDurationMs,
                $"Bulk subscription to '{topicName}': maxAwaitDurationMs must be between 0 (send what is queued at once) and {MaxAwaitDurationMsLimit}.");
        }

        TopicName = topicName;
        MaxMessagesCount = maxMessagesCount;
        MaxAwaitDurationMs = maxAwaitDurationMs;
    }

    public BulkSubscribeAttribute(string topicName, int maxMessagesCount) : this(topicName, maxMessagesCount, BulkSubscribeTopicOptions.DefaultMaxAwaitDurationMs)
    {
    }

    public BulkSubscribeAttribute(string topicName) : this(topicName, BulkSubscribeTopicOptions.DefaultMaxMessagesCount)
    {
    }

    public string TopicName { get; }

    public int MaxMessagesCount { get; }

    public int MaxAwaitDurationMs { get; }
}
