namespace Quoncept.Dapr;

/// <summary>Everything <see cref="BulkSubscribeAttribute"/> can say, for the <c>WithBulkSubscribe(...)</c> endpoint builder.</summary>
public sealed class BulkSubscribeTopicOptions
{
    public const int DefaultMaxMessagesCount = 100;

    public const int DefaultMaxAwaitDurationMs = 1000;

    public required string TopicName { get; init; }

    public int MaxMessagesCount { get; init; } = DefaultMaxMessagesCount;

    public int MaxAwaitDurationMs { get; init; } = DefaultMaxAwaitDurationMs;
}
