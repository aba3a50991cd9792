using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary><c>"options":{"concurrency":"first-write|last-write","consistency":"eventual|strong"}</c>.</summary>
internal sealed class StateOptionsWire
{
    [JsonPropertyName("concurrency")]
    public string? Concurrency { get; init; }

    [JsonPropertyName("consistency")]
    public string? Consistency { get; init; }
}
