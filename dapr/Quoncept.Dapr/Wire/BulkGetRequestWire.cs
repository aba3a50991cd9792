using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>Bulk get body: <c>{"keys":[...],"parallelism":10}</c>.</summary>
internal sealed class BulkGetRequestWire
{
    [JsonPropertyName("keys")]
    public required IReadOnlyList<string> Keys { get; init; }

    [JsonPropertyName("parallelism")]
    public int? Parallelism { get; init; }
}
