using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>Timer body, both directions: <c>{"dueTime","period","callback","data","ttl"}</c> (https://docs.dapr.io/reference/api/actors_api/#create-actor-timer).</summary>
internal sealed class TimerWire
{
    [JsonPropertyName("dueTime")]
    public string? DueTime { get; init; }

    [JsonPropertyName("period")]
    public string? Period { get; init; }

    [JsonPropertyName("callback")]
    public string? Callback { get; init; }

    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }

    [JsonPropertyName("ttl")]
    public string? Ttl { get; init; }
}
