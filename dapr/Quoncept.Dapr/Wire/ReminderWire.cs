using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>Reminder body, both directions: <c>{"dueTime","period","data","ttl"}</c> (https://docs.dapr.io/reference/api/actors_api/#create-actor-reminder).</summary>
internal sealed class ReminderWire
{
    [JsonPropertyName("dueTime")]
    public string? DueTime { get; init; }

    [JsonPropertyName("period")]
    public string? Period { get; init; }

    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }

    [JsonPropertyName("ttl")]
    public string? Ttl { get; init; }
}
