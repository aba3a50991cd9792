using System.Text;
using System.Text.Json;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>
/// The <c>data</c> of reminders and timers. We send the bytes as a base64 JSON string (as the .NET SDK does) and
/// the sidecar echoes it back unchanged; data written by other SDKs may be any JSON, which we hand over as its UTF-8 text.
/// </summary>
internal static class ActorCallbackData
{
    public static JsonElement? Encode(byte[] state) => state.Length == 0 ? null : JsonSerializer.SerializeToElement(Convert.ToBase64String(state));

    public static byte[] Decode(JsonElement? data)
    {
        if (data is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return [];
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString()!;
            var buffer = new byte[text.Length];
            return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : Encoding.UTF8.GetBytes(text);
        }

        return Encoding.UTF8.GetBytes(element.GetRawText());
    }
}
