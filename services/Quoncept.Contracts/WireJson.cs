using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Quoncept.Contracts;

/// <summary>
/// The JSON of everything that crosses a sidecar: actor arguments and answers, actor state,
/// events, service invocation bodies. Web defaults (camelCase), as the Dapr SDK's own; the
/// contract types come from the source-generated <see cref="ContractsJson"/>, anything else (the
/// SDK's remoting envelopes, each service's state classes) by reflection.
/// Metadata properties such as <see cref="UniverseEvent"/>'s "type" may come anywhere in an
/// object, because a store that keeps JSON as jsonb (PostgreSQL) does not keep key order.
/// </summary>
public static class WireJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        AllowOutOfOrderMetadataProperties = true,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(ContractsJson.Default, new DefaultJsonTypeInfoResolver()),
    };

    /// <summary>
    /// The <see cref="UniverseEvent"/> in a delivered CloudEvent's "data"; null, with <paramref name="problem"/> saying
    /// why, when the CloudEvent is not an object whose data is a UniverseEvent (a delivery to drop, not to retry).
    /// </summary>
    public static UniverseEvent? FromCloudEvent(JsonElement cloudEvent, out string? problem)
    {
        problem = null;
        if (cloudEvent.ValueKind != JsonValueKind.Object || !cloudEvent.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            problem = "its data is not a JSON object";
            return null;
        }
        try
        {
            return data.Deserialize<UniverseEvent>(Options);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            problem = e.Message;
            return null;
        }
    }
}
