using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>State item: <c>{"key","value","etag","metadata","options"}</c> (https://docs.dapr.io/reference/api/state_api/#save-state).</summary>
internal sealed class StateItemWire
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("value")]
    public JsonElement? Value { get; init; }

    [JsonPropertyName("etag")]
    public string? ETag { get; init; }

    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    [JsonPropertyName("options")]
    public StateOptionsWire? Options { get; init; }
}
