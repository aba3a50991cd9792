namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// One message on a topic as a pub/sub component carries it: the bytes to deliver (normally a
/// CloudEvents 1.0 JSON envelope, or the raw payload when <see cref="Raw"/>), its content type,
/// and when it expires (<c>metadata.ttlInSeconds</c>). <see cref="TraceParent"/> is the publisher's
/// W3C trace context, carried beside the bytes (as a broker header would) so a delivery can continue
/// the trace without parsing the envelope.
/// </summary>
internal sealed record PubSubMessage(
    string Topic,
    ReadOnlyMemory<byte> Data,
    string ContentType,
    bool Raw,
    DateTimeOffset? ExpiresAt)
{
    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }
}
