using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>Actor state transaction request: <c>{"key","value"}</c>.</summary>
internal sealed class ActorStateRequestWire
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("value")]
    public JsonElement? Value { get; init; }
}
