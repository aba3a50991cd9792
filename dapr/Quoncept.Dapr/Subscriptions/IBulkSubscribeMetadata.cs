namespace Quoncept.Dapr;

/// <summary>
/// Endpoint metadata that turns the endpoint's subscription to <see cref="TopicName"/> into a bulk subscription
/// (https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-bulk/), as in <c>Dapr.AspNetCore</c>.
/// </summary>
public interface IBulkSubscribeMetadata
{
    /// <summary>The topic (of a <see cref="TopicAttribute"/> on the same endpoint) delivered in bulk.</summary>
    string TopicName { get; }

    /// <summary>At most this many events per request to the app.</summary>
    int MaxMessagesCount { get; }

    /// <summary>How long the sidecar may wait for a batch to fill; 0 sends what is queued at once.</summary>
    int MaxAwaitDurationMs { get; }
}
