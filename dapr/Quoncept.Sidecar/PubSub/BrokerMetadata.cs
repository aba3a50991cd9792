using System.Globalization;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// What a broker carries beside a message's bytes, as Dapr's publish metadata (Redis Streams: the entry's
/// <c>metadata</c> field as JSON; JetStream: headers): <c>rawPayload</c>, and this runtime's <c>contentType</c>,
/// <c>traceparent</c>, <c>tracestate</c> and <c>expiration</c> (RFC 3339). A message without them (published by
/// daprd, whose CloudEvent already holds its trace and expiry) is a CloudEvent when its bytes are a JSON object,
/// and a raw payload otherwise.
/// </summary>
internal static class BrokerMetadata
{
    public static Dictionary<string, string> From(PubSubMessage message)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (message.Raw)
        {
            metadata["rawPayload"] = "true";
        }
        metadata["contentType"] = message.ContentType;
        if (message.TraceParent is { } traceParent)
        {
            metadata["traceparent"] = traceParent;
        }
        if (message.TraceState is { Length: > 0 } traceState)
        {
            metadata["tracestate"] = traceState;
        }
        if (message.ExpiresAt is { } expiresAt)
        {
            metadata["expiration"] = expiresAt.ToString("O", CultureInfo.InvariantCulture);
        }
        return metadata;
    }

    public static PubSubMessage ToMessage(string topic, ReadOnlyMemory<byte> data, Func<string, string?> metadata)
    {
        var raw = metadata("rawPayload") is { } flag ? string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase) : !LooksLikeJsonObject(data.Span);
        var contentType = metadata("contentType") ?? (raw ? "application/octet-stream" : CloudEvents.ContentType);
        DateTimeOffset? expiresAt = DateTimeOffset.TryParse(metadata("expiration"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
        return new PubSubMessage(topic, data, contentType, raw, expiresAt)
        {
            TraceParent = metadata("traceparent"),
            TraceState = metadata("tracestate"),
        };
    }

    private static bool LooksLikeJsonObject(ReadOnlySpan<byte> data)
    {
        var trimmed = data.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] == (byte)'{';
    }
}
