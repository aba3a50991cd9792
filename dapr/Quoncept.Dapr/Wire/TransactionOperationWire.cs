using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>Transaction operation: <c>{"operation":"upsert|delete","request":{state item}}</c>.</summary>
internal sealed class TransactionOperationWire
{
    [JsonPropertyName("operation")]
    public required string Operation { get; init; }

    [JsonPropertyName("request")]
    public required StateItemWire Request { get; init; }
}
