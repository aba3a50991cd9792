namespace Quoncept.Client;

/// <summary>The answer to one request and how long the round trip took (request written to answer read).</summary>
public sealed record Answer<T>(T Value, TimeSpan Latency);
