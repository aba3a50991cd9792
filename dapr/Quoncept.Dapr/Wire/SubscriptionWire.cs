using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>One entry of <c>GET /dapr/subscribe</c> (https://docs.dapr.io/reference/api/pubsub_api/#provide-a-route-for-dapr-to-discover-topic-subscriptions).</summary>
internal sealed class SubscriptionWire
{
    [JsonPropertyName("pubsubname")]
    public required string PubsubName { get; init; }

    [JsonPropertyName("topic")]
    public required string Topic { get; init; }

    [JsonPropertyName("route")]
    public string? Route { get; init; }

    [JsonPropertyName("routes")]
    public RoutesWire? Routes { get; init; }

    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    [JsonPropertyName("deadLetterTopic")]
    public string? DeadLetterTopic { get; init; }

    [JsonPropertyName("bulkSubscribe")]
    public BulkSubscribeWire? BulkSubscribe { get; init; }
}
