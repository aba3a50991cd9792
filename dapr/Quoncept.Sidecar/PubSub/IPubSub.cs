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

    /// <summary>
    /// True for a broker that keeps a message until its handler completes (Redis Streams, NATS JetStream): it starts
    /// handlers in topic order with up to <c>concurrency</c> in flight, acknowledges a message when its handler
    /// returns, and leaves it for redelivery when the handler throws. A bulk subscription then hands it the delivery
    /// itself instead of <see cref="BulkDelivery.Admitting"/>, which returns before the delivery is settled.
    /// </summary>
    bool AcknowledgesOnCompletion => false;

    ValueTask PublishAsync(PubSubMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Starts delivering <paramref name="topic"/> to <paramref name="handler"/>, at most
    /// <paramref name="concurrency"/> messages at a time, until the result is disposed.
    /// </summary>
    IAsyncDisposable Subscribe(string topic, string consumerGroup,
        Func<PubSubMessage, CancellationToken, ValueTask> handler, int concurrency);
}
