using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>
/// <c>"bulkSubscribe":{"enabled":true,"maxMessagesCount":N,"maxAwaitDurationMs":M}</c> of a <c>GET /dapr/subscribe</c> entry
/// (https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-bulk/#subscribing-messages-in-bulk).
/// </summary>
internal sealed class BulkSubscribeWire
{
    [JsonPropertyName("enabled")]
    public required bool Enabled { get; init; }

    [JsonPropertyName("maxMessagesCount")]
    public required int MaxMessagesCount { get; init; }

    [JsonPropertyName("maxAwaitDurationMs")]
    public required int MaxAwaitDurationMs { get; init; }
}
