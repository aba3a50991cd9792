using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>
/// A bulk subscriber's answer: <c>{"statuses":[{"entryId","status":"SUCCESS|RETRY|DROP"}]}</c>
/// (https://docs.dapr.io/reference/api/pubsub_api/#expected-http-response-for-bulk-subscribe). An entry left out means RETRY.
/// </summary>
internal sealed class BulkSubscribeResponseWire
{
    [JsonPropertyName("statuses")]
    public required IReadOnlyList<BulkSubscribeResponseEntryWire> Statuses { get; init; }
}
