using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary><c>"routes":{"rules":[...],"default":"/route"}</c>.</summary>
internal sealed class RoutesWire
{
    [JsonPropertyName("rules")]
    public required IReadOnlyList<RouteRuleWire> Rules { get; init; }

    [JsonPropertyName("default")]
    public string? Default { get; init; }
}
