using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>Actor state transaction item: <c>{"operation":"upsert|delete","request":{"key","value"}}</c> (https://docs.dapr.io/reference/api/actors_api/#actor-state-transactions).</summary>
internal sealed class ActorStateOperationWire
{
    [JsonPropertyName("operation")]
    public required string Operation { get; init; }

    [JsonPropertyName("request")]
    public required ActorStateRequestWire Request { get; init; }
}
