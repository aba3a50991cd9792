namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// A Dapr pub/sub component. Subscribers sharing a <paramref name="consumerGroup"/> compete for each
/// message; different groups each get every message. A handler that throws or returns
/// <see cref="DeliveryOutcome.Retry"/> leaves retrying to the caller (the delivery engine owns
/// back-off and dead-lettering), so brokers such as NATS JetStream or Redis Streams slot in by
/// mapping Success/Drop to an ack and Retry to a nak.
/// </summary>
internal interface IPubSub : IAsyncDisposable
{
    string Name { get; }

    ValueTask PublishAsync(PubSubMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Starts delivering <paramref name="topic"/> to <paramref name="handler"/>, at most
    /// <paramref name="concurrency"/> messages at a time, until the result is disposed.
    /// </summary>
    IAsyncDisposable Subscribe(string topic, string consumerGroup,
        Func<PubSubMessage, CancellationToken, ValueTask> handler, int concurrency);
}
