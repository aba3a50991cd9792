using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary><c>{"match":"event.type == ...","path":"/route"}</c>.</summary>
internal sealed class RouteRuleWire
{
    [JsonPropertyName("match")]
    public required string Match { get; init; }

    [JsonPropertyName("path")]
    public required string Path { get; init; }
}
