using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Quoncept.Sidecar.Errors;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// CloudEvents 1.0 JSON envelopes as daprd writes them (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md,
/// https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-cloudevents/):
/// <c>{specversion, id, source, type, datacontenttype, data | data_base64, topic, pubsubname, traceparent, traceid, tracestate, time, expiration?}</c>.
/// JSON payloads go in <c>data</c> as JSON, text as a string, anything else base64 in <c>data_base64</c>.
/// A payload that already is a CloudEvent keeps its attributes; the missing ones are added.
/// </summary>
internal static class CloudEvents
{
    public const string ContentType = "application/cloudevents+json";
    public const string DefaultType = "com.dapr.event.sent";

    public static byte[] Wrap(ReadOnlySpan<byte> payload, string? contentType, EnvelopeContext context)
    {
        var mediaType = MediaType(contentType);
        JsonObject envelope;
        if (mediaType == ContentType)
        {
            envelope = ParseObject(payload, "the CloudEvent body") ?? throw new DaprApiException(400, "ERR_PUBSUB_CLOUD_EVENTS_SER",
                "a body sent as application/cloudevents+json must be a JSON object");
        }
        else
        {
            envelope = new JsonObject();
            if (IsJson(mediaType) || (contentType is null && LooksLikeJson(payload)))
            {
                envelope["datacontenttype"] = contentType ?? "application/json";
                envelope["data"] = payload.IsEmpty ? null : ParseNode(payload);
            }
            else if (mediaType.StartsWith("text/", StringComparison.Ordinal) || contentType is null)
            {
                envelope["datacontenttype"] = contentType ?? "text/plain";
                envelope["data"] = Encoding.UTF8.GetString(payload);
            }
            else
            {
                envelope["datacontenttype"] = contentType;
                envelope["data_base64"] = Convert.ToBase64String(payload);
            }
        }
        envelope.TryAdd("specversion", "1.0");
        envelope.TryAdd("id", Guid.NewGuid().ToString());
        envelope.TryAdd("source", context.Source);
        envelope.TryAdd("type", DefaultType);
        envelope.TryAdd("time", context.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        envelope["topic"] = context.Topic;
        envelope["pubsubname"] = context.PubSubName;
        if (context.TraceParent is { } traceparent)
        {
            envelope.TryAdd("traceparent", traceparent);
            envelope.TryAdd("traceid", traceparent);
            envelope.TryAdd("tracestate", context.TraceState ?? "");
        }
        if (context.ExpiresAt is { } expiry)
        {
            envelope["expiration"] = expiry.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        }
        return JsonSerializer.SerializeToUtf8Bytes(envelope);
    }

    /// <summary>The media type without parameters, lower case ("application/json; charset=utf-8" → "application/json").</summary>
    public static string MediaType(string? contentType) =>
        contentType is null ? "" : contentType.Split(';')[0].Trim().ToLowerInvariant();

    public static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private static bool LooksLikeJson(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            return JsonDocument.TryParseValue(ref reader, out var document) && Dispose(document);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Dispose(JsonDocument? document)
    {
        document?.Dispose();
        return true;
    }

    private static JsonObject? ParseObject(ReadOnlySpan<byte> payload, string what) => ParseNode(payload, what) as JsonObject;

    private static JsonNode? ParseNode(ReadOnlySpan<byte> payload, string what = "the JSON payload")
    {
        try
        {
            return JsonNode.Parse(payload);
        }
        catch (JsonException error)
        {
            throw new DaprApiException(400, "ERR_PUBSUB_CLOUD_EVENTS_SER", $"{what} is not valid JSON: {error.Message}", error);
        }
    }
}
