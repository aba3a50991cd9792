namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// The CloudEvent attributes a publisher sets through metadata (https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-cloudevents/#override-dapr-generated-cloudevent-values):
/// <c>cloudevent.id</c>, <c>cloudevent.source</c>, <c>cloudevent.type</c>, <c>cloudevent.subject</c>,
/// <c>cloudevent.traceid</c>, <c>cloudevent.traceparent</c>, <c>cloudevent.tracestate</c>. daprd decodes them with
/// mapstructure's WeakDecode, so the keys match in any case; <c>cloudevent.topic</c>, <c>.pubsubname</c>,
/// <c>.data</c> and <c>.datacontenttype</c> cannot be overridden. A key that is present replaces the generated value
/// even when empty (daprd then falls back to its defaults: a new id, source "Dapr", type com.dapr.event.sent).
/// They apply to payloads the runtime wraps, not to a CloudEvent the publisher sent whole.
/// </summary>
internal sealed record CloudEventOverrides(string? Id, string? Source, string? Type, string? Subject, string? TraceId, string? TraceParent, string? TraceState)
{
    public static readonly CloudEventOverrides None = new(null, null, null, null, null, null, null);

    public static CloudEventOverrides From(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.Keys.Any(key => key.StartsWith("cloudevent.", StringComparison.OrdinalIgnoreCase)))
        {
            return None;
        }
        return new CloudEventOverrides(
            Find(metadata, "cloudevent.id"),
            Find(metadata, "cloudevent.source"),
            Find(metadata, "cloudevent.type"),
            Find(metadata, "cloudevent.subject"),
            Find(metadata, "cloudevent.traceid"),
            Find(metadata, "cloudevent.traceparent"),
            Find(metadata, "cloudevent.tracestate"));
    }

    /// <summary>
    /// The envelope's context with the overrides applied. daprd writes one trace id into both <c>traceparent</c>
    /// and <c>traceid</c>: an overriding <c>traceparent</c> wins, then an overriding <c>traceid</c>, then the publish span.
    /// </summary>
    public EnvelopeContext ApplyTo(EnvelopeContext context)
    {
        if (ReferenceEquals(this, None))
        {
            return context;
        }
        var trace = string.IsNullOrEmpty(TraceParent) ? TraceId ?? context.TraceParent : TraceParent;
        return context with
        {
            Source = Source ?? context.Source,
            TraceParent = trace,
            TraceState = TraceState ?? context.TraceState,
            Id = Id ?? context.Id,
            Type = Type ?? context.Type,
            Subject = Subject ?? context.Subject,
        };
    }

    /// <summary>An exact key first, then one in any case (mapstructure's fallback).</summary>
    private static string? Find(IReadOnlyDictionary<string, string> metadata, string key)
    {
        if (metadata.TryGetValue(key, out var exact))
        {
            return exact;
        }
        foreach (var (name, value) in metadata)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }
}
