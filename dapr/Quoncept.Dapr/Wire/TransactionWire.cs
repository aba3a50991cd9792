using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>State transaction body: <c>{"operations":[...],"metadata":{...}}</c> (https://docs.dapr.io/reference/api/state_api/#state-transactions).</summary>
internal sealed class TransactionWire
{
    [JsonPropertyName("operations")]
    public required IReadOnlyList<TransactionOperationWire> Operations { get; init; }

    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
