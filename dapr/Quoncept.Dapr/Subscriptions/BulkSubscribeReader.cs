using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr;

/// <summary>
/// Reads a bulk delivery (https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-bulk/) into typed
/// entries. The body is all-or-nothing only where it must be: without a JSON object, an <c>entries</c> array and a unique
/// <c>entryId</c> per entry no status can be answered, so the body is refused; an entry whose event cannot be read as
/// the caller's type is set aside with its reason, to be answered DROP, and the others go on.
/// </summary>
internal static class BulkSubscribeReader
{
    /// <summary>The result: <see cref="Message"/> and <see cref="Malformed"/>, or <see cref="Error"/> with its HTTP status.</summary>
    internal sealed record Result<TValue>(BulkSubscribeMessage<TValue>? Message, IReadOnlyList<(string EntryId, string Reason)> Malformed, int Status, string? Error);

    // Body: {"id","pubsubname","topic","type","metadata":{},"entries":[{"entryId","event","contentType","metadata":{}}]}
    public static async Task<Result<TValue>> ReadAsync<TValue>(HttpRequest request, JsonTypeInfo<TValue> eventType, CancellationToken cancellationToken)
    {
        if (request.ContentType is { } declared && !(MediaTypeHeaderValue.TryParse(declared, out var media) && CloudEventsMiddleware.IsJson(media.MediaType.Value ?? "")))
        {
            return Refuse<TValue>(StatusCodes.Status415UnsupportedMediaType, $"A bulk delivery is JSON; got Content-Type '{declared}'.");
        }

        BulkSubscribeRequestWire? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, DaprWireContext.Default.BulkSubscribeRequestWire, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Refuse<TValue>(StatusCodes.Status400BadRequest, $"The bulk delivery is not {{\"entries\":[{{\"entryId\",\"event\",\"contentType\",\"metadata\"}}]}} JSON: {ex.Message}");
        }

        if (body?.Entries is not { } wireEntries)
        {
            return Refuse<TValue>(StatusCodes.Status400BadRequest, "The bulk delivery has no \"entries\" array.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<BulkSubscribeMessageEntry<TValue>>(wireEntries.Count);
        var malformed = new List<(string, string)>();
        for (var i = 0; i < wireEntries.Count; i++)
        {
            if (wireEntries[i] is not { EntryId: { Length: > 0 } entryId } entry)
            {
                return Refuse<TValue>(StatusCodes.Status400BadRequest, $"Entry {i} of the bulk delivery has no \"entryId\"; no status could be answered for it.");
            }

            if (!seen.Add(entryId))
            {
                return Refuse<TValue>(StatusCodes.Status400BadRequest, $"The bulk delivery repeats entryId '{entryId}'.");
            }

            var contentType = entry.ContentType ?? "";
            if (TryReadEvent(entry.Event, contentType, eventType, out var value, out var reason))
            {
                entries.Add(new BulkSubscribeMessageEntry<TValue>(entryId, contentType, entry.Metadata ?? Empty, value));
            }
            else
            {
                malformed.Add((entryId, reason));
            }
        }

        var message = new BulkSubscribeMessage<TValue>(entries, body.PubsubName ?? "", body.Topic ?? "", body.Metadata ?? Empty);
        return new Result<TValue>(message, malformed, StatusCodes.Status200OK, null);
    }

    // A CloudEvent entry (contentType application/cloudevents+json, or a JSON object with "specversion") yields its "data"
    // (or "data_base64" when datacontenttype is JSON); a raw JSON payload is read as is; anything else is not JSON.
    internal static bool TryReadEvent<TValue>(JsonElement evt, string contentType, JsonTypeInfo<TValue> eventType, out TValue value, out string reason)
    {
        value = default!;
        var media = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType.Value ?? "" : "";
        var isCloudEvent = media.Equals(CloudEventsMiddleware.ContentType, StringComparison.OrdinalIgnoreCase)
            || ((media.Length == 0 || CloudEventsMiddleware.IsJson(media)) && evt.ValueKind == JsonValueKind.Object && evt.TryGetProperty("specversion", out _));
        try
        {
            TValue? read;
            if (isCloudEvent)
            {
                if (evt.ValueKind != JsonValueKind.Object)
                {
                    reason = "a CloudEvent entry must be a JSON object";
                    return false;
                }

                var dataContentType = evt.TryGetProperty("datacontenttype", out var dct) && dct.ValueKind == JsonValueKind.String ? dct.GetString()! : "application/json";
                if (!CloudEventsMiddleware.IsJson(dataContentType))
                {
                    reason = $"the CloudEvent's datacontenttype '{dataContentType}' is not JSON";
                    return false;
                }

                if (evt.TryGetProperty("data_base64", out var base64) && base64.ValueKind == JsonValueKind.String)
                {
                    read = JsonSerializer.Deserialize(base64.GetBytesFromBase64(), eventType);
                }
                else if (evt.TryGetProperty("data", out var data))
                {
                    read = data.Deserialize(eventType);
                }
                else
                {
                    reason = "the CloudEvent has no data";
                    return false;
                }
            }
            else if (media.Length == 0 || CloudEventsMiddleware.IsJson(media))
            {
                read = evt.Deserialize(eventType);
            }
            else
            {
                reason = $"content type '{contentType}' is not JSON";
                return false;
            }

            if (read is null)
            {
                reason = "the event's data is null";
                return false;
            }

            value = read;
            reason = "";
            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or NotSupportedException or InvalidOperationException)
        {
            reason = $"the event's data is not a {typeof(TValue).Name}: {ex.Message}";
            return false;
        }
    }

    private static Result<TValue> Refuse<TValue>(int status, string error) => new(null, [], status, error);

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
