using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>
/// One entry of a bulk delivery: <c>{"entryId","event","contentType","metadata":{}}</c>. <c>event</c> is the CloudEvent
/// object for <c>application/cloudevents+json</c>, the raw JSON for a raw JSON payload, or a base64 string otherwise.
/// </summary>
internal sealed class BulkSubscribeRequestEntryWire
{
    [JsonPropertyName("entryId")]
    public string? EntryId { get; init; }

    [JsonPropertyName("event")]
    public JsonElement Event { get; init; }

    [JsonPropertyName("contentType")]
    public string? ContentType { get; init; }

    [JsonPropertyName("metadata")]
    public Dictionary<string, string>? Metadata { get; init; }
}
