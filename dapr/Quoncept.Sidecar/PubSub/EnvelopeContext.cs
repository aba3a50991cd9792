namespace Quoncept.Sidecar.PubSub;

/// <summary>What the runtime adds to a CloudEvent it builds: who published where, when, under which trace.</summary>
internal sealed record EnvelopeContext(
    string Source,
    string PubSubName,
    string Topic,
    DateTimeOffset Time,
    string? TraceParent,
    string? TraceState,
    DateTimeOffset? ExpiresAt);
