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

    public static async Task<byte[]> ReadBytesAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }

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
