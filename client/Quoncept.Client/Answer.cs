namespace Quoncept.Client;

/// <summary>The answer to one request and how long the round trip took (request written to answer read).</summary>
public sealed record Answer<T>(T Value, TimeSpan Latency)
{
    /// <summary>The W3C trace id the request was sent under, when it carried one (see <see cref="ClientTracing"/>).</summary>
    public string? TraceId { get; init; }
}
