namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// What the runtime adds to a CloudEvent it builds: who published where, when, under which trace; and the
/// attributes a publisher chose through <see cref="CloudEventOverrides"/> (null or empty: generated as daprd does).
/// </summary>
internal sealed record EnvelopeContext(
    string Source,
    string PubSubName,
    string Topic,
    DateTimeOffset Time,
    string? TraceParent,
    string? TraceState,
    DateTimeOffset? ExpiresAt)
{
    public string? Id { get; init; }

    public string? Type { get; init; }

    public string? Subject { get; init; }
}
