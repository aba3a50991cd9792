using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr;

/// <summary>
/// Turns a <c>Content-Type: application/cloudevents+json</c> delivery into a plain request whose body is the event's
/// data and whose Content-Type is its <c>datacontenttype</c>, so handlers bind their payload type directly
/// (CloudEvents 1.0 JSON format: <c>data</c> holds JSON or a string, <c>data_base64</c> holds bytes).
/// Raw-payload deliveries are not CloudEvents and pass through untouched, and so do bulk deliveries
/// (<c>application/json</c> batches; see <see cref="BulkSubscribeMessage"/>).
/// </summary>
internal sealed class CloudEventsMiddleware(RequestDelegate next, CloudEventsMiddlewareOptions options)
{
    public const string ContentType = "application/cloudevents+json";

    public async Task InvokeAsync(HttpContext http)
    {
        // A bulk delivery's body is the batch, not one CloudEvent: the bulk reader unwraps each entry itself.
        if (!IsCloudEvent(http.Request.ContentType) || http.GetEndpoint()?.Metadata.GetMetadata<IBulkSubscribeMetadata>() is not null)
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        if (http.Request.ContentLength > options.MaxEnvelopeBytes)
        {
            await RejectAsync(http, StatusCodes.Status413PayloadTooLarge, $"CloudEvent envelopes are limited to {options.MaxEnvelopeBytes} bytes.").ConfigureAwait(false);
            return;
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        JsonDocument envelope;
        try
        {
            envelope = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException ex)
        {
            await RejectAsync(http, StatusCodes.Status400BadRequest, $"The application/cloudevents+json body is not JSON: {ex.Message}").ConfigureAwait(false);
            return;
        }

        using (envelope)
        {
            var root = envelope.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                await RejectAsync(http, StatusCodes.Status400BadRequest, "A CloudEvent must be a JSON object.").ConfigureAwait(false);
                return;
            }

            byte[] body;
            string contentType;
            try
            {
                (body, contentType) = Unwrap(root);
            }
            catch (FormatException)
            {
                await RejectAsync(http, StatusCodes.Status400BadRequest, "The CloudEvent's data_base64 is not base64.").ConfigureAwait(false);
                return;
            }

            if (options.ForwardCloudEventPropertiesAsHeaders)
            {
                ForwardAttributes(http, root);
            }

            http.Request.Body = new MemoryStream(body, writable: false);
            http.Request.ContentLength = body.Length;
            http.Request.ContentType = contentType;
            await next(http).ConfigureAwait(false);
        }
    }

    // {"data_base64":"..."} -> bytes; {"data":<json>} with a JSON datacontenttype -> its JSON text;
    // {"data":"text"} with another datacontenttype -> the text itself.
    internal static (byte[] Body, string ContentType) Unwrap(JsonElement root)
    {
        var declared = root.TryGetProperty("datacontenttype", out var dct) && dct.ValueKind == JsonValueKind.String ? dct.GetString() : null;
        if (root.TryGetProperty("data_base64", out var base64) && base64.ValueKind == JsonValueKind.String)
        {
            return (Convert.FromBase64String(base64.GetString()!), declared ?? "application/octet-stream");
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Null)
        {
            return ([], declared ?? "application/json");
        }

        var contentType = declared ?? "application/json";
        if (data.ValueKind == JsonValueKind.String && !IsJson(contentType))
        {
            return (Encoding.UTF8.GetBytes(data.GetString()!), contentType);
        }

        return (Encoding.UTF8.GetBytes(data.GetRawText()), contentType);
    }

    private void ForwardAttributes(HttpContext http, JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is "data" or "data_base64" || property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                continue;
            }

            var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            http.Request.Headers[options.CloudEventPropertyHeaderPrefix + property.Name] = value;
        }
    }

    private static bool IsCloudEvent(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed) &&
        parsed.MediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase);

    internal static bool IsJson(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) &&
        (parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || parsed.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true || parsed.MediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase));

    private static Task RejectAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new DaprErrorBody { ErrorCode = "ERR_MALFORMED_CLOUDEVENT", Message = message }, DaprWireContext.Default.DaprErrorBody);
    }
}
