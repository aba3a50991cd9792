namespace Quoncept.Dapr;

/// <summary>
/// Subscribes a minimal-API endpoint (or MVC action) to a topic; collected into <c>GET /dapr/subscribe</c> by
/// <c>app.MapSubscribeHandler()</c>. Several on one endpoint subscribe it to several topics.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class TopicAttribute : Attribute
{
    public TopicAttribute(string pubsubName, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(pubsubName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        PubsubName = pubsubName;
        Name = name;
    }

    public TopicAttribute(string pubsubName, string name, bool enableRawPayload) : this(pubsubName, name) => EnableRawPayload = enableRawPayload;

    public TopicAttribute(string pubsubName, string name, string deadLetterTopic, bool enableRawPayload) : this(pubsubName, name, enableRawPayload) =>
        DeadLetterTopic = deadLetterTopic;

    /// <summary>A routing rule: events whose CEL <paramref name="match"/> holds come here; lower priority is tried first.</summary>
    public TopicAttribute(string pubsubName, string name, string match, int priority) : this(pubsubName, name)
    {
        Match = match;
        Priority = priority;
    }

    public string PubsubName { get; }

    public string Name { get; }

    /// <summary>Deliver without a CloudEvent envelope (<c>metadata.rawPayload=true</c>).</summary>
    public bool EnableRawPayload { get; init; }

    /// <summary>Where the broker sends messages this subscriber dropped or kept failing.</summary>
    public string? DeadLetterTopic { get; init; }

    /// <summary>CEL expression of a routing rule; null for the default route.</summary>
    public new string? Match { get; init; }

    public int Priority { get; init; }

    /// <summary>Extra subscription metadata, as <c>key=value</c> pairs.</summary>
    public string[]? Metadata { get; init; }
}
