using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>CloudEvents 1.0 JSON envelope (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md).</summary>
internal sealed class CloudEventWire
{
    [JsonPropertyName("specversion")]
    public required string SpecVersion { get; init; }

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("source")]
    public required string Source { get; init; }

    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("subject")]
    public string? Subject { get; init; }

    [JsonPropertyName("datacontenttype")]
    public string? DataContentType { get; init; }

    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }
}
