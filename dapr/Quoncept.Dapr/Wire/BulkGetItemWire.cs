using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>Bulk get answer item: <c>{"key","data","etag","error"}</c>.</summary>
internal sealed class BulkGetItemWire
{
    [JsonPropertyName("key")]
    public string? Key { get; init; }

    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }

    [JsonPropertyName("etag")]
    public string? ETag { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}
