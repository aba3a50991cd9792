using System.Text.Json;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// Finds fields of a JSON object the way daprd's Go <c>encoding/json</c> decoder fills a struct: a key
/// matches a field name case-insensitively, and when several keys match, the last one wins. Apps and SDKs
/// rely on this: Dapr.AspNetCore sends <c>pubsubName</c> where the docs say <c>pubsubname</c>, the JS SDK
/// <c>entryID</c> for <c>entryId</c>.
/// </summary>
internal static class JsonFields
{
    public static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        var found = false;
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals(name) || string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                found = true;
            }
        }
        return found;
    }

    /// <summary>The field when it is present and not null; <c>default</c> (Undefined) otherwise.</summary>
    public static JsonElement Get(JsonElement element, string name) =>
        TryGet(element, name, out var value) && value.ValueKind != JsonValueKind.Null ? value : default;
}
