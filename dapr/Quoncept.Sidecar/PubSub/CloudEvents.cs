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
/// A payload that already is a CloudEvent keeps its attributes; the missing ones are added, the routing and trace
/// ones set (<see cref="Complete"/>).
/// </summary>
internal static class CloudEvents
{
    public const string ContentType = "application/cloudevents+json";
    public const string DefaultType = "com.dapr.event.sent";

    /// <summary>daprd's source for an event whose publisher is not known (raw payloads, an empty override).</summary>
    public const string DefaultSource = "Dapr";

    public static byte[] Wrap(ReadOnlySpan<byte> payload, string? contentType, EnvelopeContext context)
    {
        var mediaType = MediaType(contentType);
        return mediaType == ContentType ? Complete(payload, context) : Write(payload, contentType, mediaType, context);
    }

    /// <summary>A payload that is not a CloudEvent yet: the envelope is written in one pass, the JSON data validated, not parsed.</summary>
    private static byte[] Write(ReadOnlySpan<byte> payload, string? contentType, string mediaType, EnvelopeContext context)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(payload.Length + 512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("specversion", "1.0");
            json.WriteString("id", string.IsNullOrEmpty(context.Id) ? Guid.NewGuid().ToString() : context.Id);
            json.WriteString("source", string.IsNullOrEmpty(context.Source) ? DefaultSource : context.Source);
            json.WriteString("type", string.IsNullOrEmpty(context.Type) ? DefaultType : context.Type);
            if (!string.IsNullOrEmpty(context.Subject))
            {
                json.WriteString("subject", context.Subject);
            }
            if (IsJson(mediaType) || (contentType is null && LooksLikeJson(payload)))
            {
                json.WriteString("datacontenttype", contentType ?? "application/json");
                json.WritePropertyName("data");
                if (payload.IsEmpty)
                {
                    json.WriteNullValue();
                }
                else
                {
                    Validate(payload);
                    json.WriteRawValue(payload, skipInputValidation: true);
                }
            }
            else if (mediaType.StartsWith("text/", StringComparison.Ordinal) || contentType is null)
            {
                json.WriteString("datacontenttype", contentType ?? "text/plain");
                json.WriteString("data", Encoding.UTF8.GetString(payload));
            }
            else
            {
                json.WriteString("datacontenttype", contentType);
                json.WriteBase64String("data_base64", payload);
            }
            json.WriteString("time", Timestamp(context.Time));
            json.WriteString("topic", context.Topic);
            json.WriteString("pubsubname", context.PubSubName);
            if (context.TraceParent is { } traceparent)
            {
                json.WriteString("traceparent", traceparent);
                json.WriteString("traceid", traceparent);
                json.WriteString("tracestate", context.TraceState ?? "");
            }
            if (context.ExpiresAt is { } expiry)
            {
                json.WriteString("expiration", Timestamp(expiry));
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// What daprd delivers to a subscription with <c>rawPayload</c> (components-contrib's <c>FromRawPayload</c>): the
    /// topic's bytes, whatever they are, base64 in <c>data_base64</c> of an envelope with a new id, source "Dapr",
    /// <c>datacontenttype</c> application/octet-stream and the publisher's trace context. The SDKs' CloudEvents
    /// middleware hands the app the bytes back, as application/octet-stream.
    /// </summary>
    public static byte[] FromRawPayload(ReadOnlySpan<byte> payload, string topic, string pubsubName, string? traceParent, string? traceState)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(payload.Length * 4 / 3 + 384);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", Guid.NewGuid().ToString());
            json.WriteString("specversion", "1.0");
            json.WriteString("datacontenttype", "application/octet-stream");
            json.WriteString("source", DefaultSource);
            json.WriteString("type", DefaultType);
            json.WriteString("topic", topic);
            json.WriteString("pubsubname", pubsubName);
            json.WriteBase64String("data_base64", payload);
            if (traceParent is not null)
            {
                json.WriteString("traceparent", traceParent);
                json.WriteString("traceid", traceParent);
            }
            if (traceState is not null)
            {
                json.WriteString("tracestate", traceState);
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A ready-made CloudEvent, as components-contrib's <c>FromCloudEvent</c> completes it: its own attributes stay
    /// (a missing source is "Dapr", not the publisher), the routing ones are set, and the trace is the publish call's,
    /// so a delivery continues the trace of the call that published it.
    /// </summary>
    private static byte[] Complete(ReadOnlySpan<byte> payload, EnvelopeContext context)
    {
        var envelope = ParseNode(payload, "the CloudEvent body") as JsonObject ?? throw new DaprApiException(400, "ERR_PUBSUB_CLOUD_EVENTS_SER",
            "a body sent as application/cloudevents+json must be a JSON object");
        envelope.TryAdd("specversion", "1.0");
        envelope.TryAdd("id", Guid.NewGuid().ToString());
        envelope.TryAdd("source", DefaultSource);
        envelope.TryAdd("type", DefaultType);
        envelope.TryAdd("time", Timestamp(context.Time));
        envelope["topic"] = context.Topic;
        envelope["pubsubname"] = context.PubSubName;
        if (context.TraceParent is { } traceparent)
        {
            envelope["traceparent"] = traceparent;
            envelope["traceid"] = traceparent;
            envelope["tracestate"] = context.TraceState ?? "";
        }
        if (context.ExpiresAt is { } expiry)
        {
            envelope["expiration"] = Timestamp(expiry);
        }
        return JsonSerializer.SerializeToUtf8Bytes(envelope);
    }

    private static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads through the payload once; anything that is not one complete JSON value is a 400.</summary>
    private static void Validate(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { AllowTrailingCommas = false });
            if (!reader.Read() || !reader.TrySkip() || reader.Read())
            {
                throw new JsonException("expected exactly one JSON value");
            }
        }
        catch (JsonException error)
        {
            throw new DaprApiException(400, "ERR_PUBSUB_CLOUD_EVENTS_SER", $"the JSON payload is not valid JSON: {error.Message}", error);
        }
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
