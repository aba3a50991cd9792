namespace Quoncept.Dapr;

public sealed class CloudEventsMiddlewareOptions
{
    /// <summary>Copy the envelope's attributes (id, source, type, subject, time, traceparent...) to request headers named <see cref="CloudEventPropertyHeaderPrefix"/> + attribute.</summary>
    public bool ForwardCloudEventPropertiesAsHeaders { get; set; }

    public string CloudEventPropertyHeaderPrefix { get; set; } = "Cloudevent.";

    /// <summary>Envelopes larger than this are refused with 413.</summary>
    public int MaxEnvelopeBytes { get; set; } = 16 * 1024 * 1024;
}
