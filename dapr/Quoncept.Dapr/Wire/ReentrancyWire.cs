using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary><c>"reentrancy":{"enabled":false}</c>.</summary>
internal sealed class ReentrancyWire
{
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }
}
