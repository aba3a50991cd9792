namespace Quoncept.Client;

public sealed class ConnectionOptions
{
    /// <summary>Live events held for the reader; when full, the connection stops reading the network (and the gateway eventually cuts it off).</summary>
    public int EventCapacity { get; set; } = 10_000;

    /// <summary>How long a request waits for its answer.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Send every request with a sampled trace context, so that it is recorded end to end whatever the sampling rate (<see cref="ClientTracing"/>).</summary>
    public bool Trace { get; set; }
}
