using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>Subscriber answer: <c>{"status":"SUCCESS|RETRY|DROP"}</c> (https://docs.dapr.io/reference/api/pubsub_api/#expected-http-response).</summary>
internal sealed class TopicStatusWire
{
    [JsonPropertyName("status")]
    public required string Status { get; init; }
}
