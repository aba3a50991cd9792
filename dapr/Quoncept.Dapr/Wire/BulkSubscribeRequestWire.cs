using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>
/// What the sidecar POSTs to a bulk subscriber's route
/// (https://docs.dapr.io/reference/api/pubsub_api/#expected-http-response-for-bulk-subscribe):
/// <c>{"id","pubsubname","topic","type","metadata":{},"entries":[...]}</c>.
/// </summary>
internal sealed class BulkSubscribeRequestWire
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("pubsubname")]
    public string? PubsubName { get; init; }

    [JsonPropertyName("topic")]
    public string? Topic { get; init; }

    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("metadata")]
    public Dictionary<string, string>? Metadata { get; init; }

    [JsonPropertyName("entries")]
    public List<BulkSubscribeRequestEntryWire?>? Entries { get; init; }
}
