namespace Quoncept.Client;

public sealed class ConnectionOptions
{
    /// <summary>Live events held for the reader; when full, the connection stops reading the network (and the gateway eventually cuts it off).</summary>
    public int EventCapacity { get; set; } = 10_000;

    /// <summary>How long a request waits for its answer.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Send every request with a sampled trace context, so that it is recorded end to end whatever the sampling rate (<see cref="ClientTracing"/>).</summary>
    public bool Trace { get; set; }

    /// <summary>
    /// Retry the typed requests (Login, Move, Chat, ...) with the same request id when they cannot be answered now,
    /// resuming the stream first when it ended (see <see cref="RetryPolicy"/>). Null: no retry, every failure is the caller's.
    /// <see cref="QuonceptConnection.SendAsync"/> never retries.
    /// </summary>
    public RetryPolicy? Retry { get; set; }

    /// <summary>
    /// The other gateways of the system. When the stream ends because its gateway is stopping (<c>Terminate{shutdown}</c>)
    /// or cannot be reached, the connection resumes by itself through the next one (same connection id, within the
    /// session's grace period, so nobody sees it leave), then on the others in turn. Empty: it resumes only when a
    /// retried request needs it, through the same gateway.
    /// </summary>
    public IReadOnlyList<QuonceptClient> Gateways { get; set; } = [];
}
