using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary><c>{"entryId":"...","status":"SUCCESS|RETRY|DROP"}</c>.</summary>
internal sealed class BulkSubscribeResponseEntryWire
{
    [JsonPropertyName("entryId")]
    public required string EntryId { get; init; }

    [JsonPropertyName("status")]
    public required string Status { get; init; }
}
