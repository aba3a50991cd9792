using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Quoncept.Sidecar.Errors;

namespace Quoncept.Sidecar.Api;

/// <summary>Reads API request bodies; anything that is not the JSON asked for is a Dapr 400.</summary>
internal static class RequestBody
{
    public static async Task<JsonDocument> ReadJsonAsync(HttpContext context, string what)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException error)
        {
            throw DaprErrors.Malformed($"{what}: the body is not valid JSON ({error.Message})", error);
        }
    }

    /// <summary>The whole body, in one array of its exact size (Kestrel's body size limit applies while it is read).</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpContext context)
    {
        // The body waits in the request pipe's pooled segments until it is complete, then is copied once; a growing
        // MemoryStream copied it twice or more, and this is the hottest path of the runtime (every actor call and save).
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>The UTF-8 text of a JSON value as it came (what <c>GetRawText</c> gives, without the detour through a string).</summary>
    public static byte[] RawJson(JsonElement element) => JsonMarshal.GetRawUtf8Value(element).ToArray();

    public static string? OptionalString(JsonElement element, string property, string what)
    {
        if (!JsonFields.TryGet(element, property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw DaprErrors.Malformed($"{what}: '{property}' must be a string");
    }

    public static string RequiredString(JsonElement element, string property, string what) =>
        OptionalString(element, property, what) is { Length: > 0 } value
            ? value
            : throw DaprErrors.Malformed($"{what}: '{property}' is required");

    /// <summary>A JSON object of string values (Dapr request metadata); other shapes are a 400.</summary>
    public static Dictionary<string, string> StringMap(JsonElement element, string property, string what)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!JsonFields.TryGet(element, property, out var map) || map.ValueKind == JsonValueKind.Null)
        {
            return result;
        }
        if (map.ValueKind != JsonValueKind.Object)
        {
            throw DaprErrors.Malformed($"{what}: '{property}' must be an object of strings");
        }
        foreach (var entry in map.EnumerateObject())
        {
            result[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                ? entry.Value.GetString()!
                : entry.Value.GetRawText();
        }
        return result;
    }

    /// <summary>Request metadata from the query string: <c>?metadata.key=value</c>.</summary>
    public static Dictionary<string, string> QueryMetadata(HttpContext context)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Query)
        {
            if (key.StartsWith("metadata.", StringComparison.Ordinal))
            {
                result[key["metadata.".Length..]] = value.ToString();
            }
        }
        return result;
    }
}
