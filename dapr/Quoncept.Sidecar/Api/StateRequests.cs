using System.Text;
using System.Text.Json;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// The JSON parts of HTTP state API requests (https://docs.dapr.io/reference/api/state_api/): an item
/// <c>{key, value, etag?, options?{concurrency, consistency}, metadata?{ttlInSeconds}}</c> becomes a
/// <see cref="StateOperation"/> on the app's own key; anything malformed is a 400.
/// </summary>
internal static class StateRequests
{
    internal static StateOperation ReadUpsert(JsonElement item, IReadOnlyDictionary<string, string> outerMetadata, string what)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw DaprErrors.Malformed($"{what}: every item must be an object with key and value");
        }
        var key = RequestBody.RequiredString(item, "key", what);
        var value = JsonFields.TryGet(item, "value", out var v) ? RequestBody.RawJson(v) : "null"u8.ToArray();
        var etag = JsonFields.TryGet(item, "etag", out var e) && e.ValueKind is JsonValueKind.Number
            ? e.GetRawText()
            : RequestBody.OptionalString(item, "etag", what);
        var metadata = RequestBody.StringMap(item, "metadata", what);
        var ttl = StateService.Ttl(metadata.GetValueOrDefault("ttlInSeconds") ?? outerMetadata.GetValueOrDefault("ttlInSeconds"), what);
        return StateOperation.Upsert(key, value, string.IsNullOrEmpty(etag) ? null : etag, ReadConcurrency(item, what), ttl);
    }

    internal static StateConcurrency ReadConcurrency(JsonElement item, string what)
    {
        if (!JsonFields.TryGet(item, "options", out var options) || options.ValueKind == JsonValueKind.Null)
        {
            return StateConcurrency.LastWrite;
        }
        if (options.ValueKind != JsonValueKind.Object)
        {
            throw DaprErrors.Malformed($"{what}: 'options' must be an object");
        }
        var consistency = RequestBody.OptionalString(options, "consistency", what);
        if (consistency is not (null or "" or "eventual" or "strong"))
        {
            throw DaprErrors.Malformed($"{what}: consistency '{consistency}' is not supported (eventual or strong)");
        }
        return ParseConcurrency(RequestBody.OptionalString(options, "concurrency", what), what);
    }

    internal static StateConcurrency ParseConcurrency(string? text, string what) => text switch
    {
        null or "" or "last-write" => StateConcurrency.LastWrite,
        "first-write" => StateConcurrency.FirstWrite,
        _ => throw DaprErrors.Malformed($"{what}: concurrency '{text}' is not supported (first-write or last-write)"),
    };

    /// <summary>Writes a stored value into a JSON response: as JSON when it is JSON, else as a string.</summary>
    internal static void WriteValue(Utf8JsonWriter json, byte[] value)
    {
        var reader = new Utf8JsonReader(value);
        try
        {
            if (JsonDocument.TryParseValue(ref reader, out var document))
            {
                using (document)
                {
                    document.RootElement.WriteTo(json);
                }
                return;
            }
        }
        catch (JsonException)
        {
        }
        json.WriteStringValue(Encoding.UTF8.GetString(value));
    }
}
