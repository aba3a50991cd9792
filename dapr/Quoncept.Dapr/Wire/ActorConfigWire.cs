using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary><c>GET /dapr/config</c> answer (https://docs.dapr.io/reference/api/actors_api/#get-registered-actors).</summary>
internal sealed class ActorConfigWire
{
    [JsonPropertyName("entities")]
    public required IReadOnlyList<string> Entities { get; init; }

    [JsonPropertyName("actorIdleTimeout")]
    public required string ActorIdleTimeout { get; init; }

    [JsonPropertyName("actorScanInterval")]
    public required string ActorScanInterval { get; init; }

    [JsonPropertyName("drainOngoingCallTimeout")]
    public required string DrainOngoingCallTimeout { get; init; }

    [JsonPropertyName("drainRebalancedActors")]
    public bool DrainRebalancedActors { get; init; }

    [JsonPropertyName("reentrancy")]
    public required ReentrancyWire Reentrancy { get; init; }

    [JsonPropertyName("remindersStoragePartitions")]
    public int? RemindersStoragePartitions { get; init; }
}
