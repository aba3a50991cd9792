namespace Quoncept.Gateway.Limits;

/// <summary>
/// Configuration section "Quoncept:Gateway:Limits": what one client may take of a public gateway. Each limit
/// hit is refused with RESOURCE_EXHAUSTED and a message naming the limit; every value is checked at start.
/// </summary>
internal sealed class LimitOptions
{
    public const string Section = "Quoncept:Gateway:Limits";

    /// <summary>Requests per second on one stream (sustained); a request over it is answered Error{RESOURCE_EXHAUSTED}.</summary>
    public int RequestsPerSecond { get; set; } = 50;

    /// <summary>Requests one stream may send at once above the sustained rate.</summary>
    public int RequestBurst { get; set; } = 100;

    /// <summary>Open Connect streams of one user on this gateway (one session, plus reconnects that beat the old stream's end).</summary>
    public int StreamsPerUser { get; set; } = 4;

    /// <summary>Open Connect streams from one remote IP address on this gateway.</summary>
    public int StreamsPerAddress { get; set; } = 1000;

    /// <summary>CreateSession calls per second from one remote IP address (sustained).</summary>
    public int SessionsPerSecondPerAddress { get; set; } = 10;

    /// <summary>CreateSession calls one address may make at once above the sustained rate.</summary>
    public int SessionBurstPerAddress { get; set; } = 50;

    /// <summary>The largest message a client may send (gRPC's MaxReceiveMessageSize); a larger one ends its call with RESOURCE_EXHAUSTED.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Loopback clients (127.0.0.0/8, ::1) are not held to the per-address limits: on one machine they are the
    /// operator's load generators and tools. Set false when a proxy on the same machine fronts the public.
    /// </summary>
    public bool ExemptLoopback { get; set; } = true;

    /// <summary>
    /// MaxMessageBytes as configured, read without the options' validation: gRPC's options are built before the
    /// start-up checks run, and a bad value must reach those checks (one line, exit 78), not throw here.
    /// </summary>
    public static int MaxMessageBytesIn(IConfiguration configuration)
    {
        try
        {
            var limits = configuration.GetSection(Section).Get<LimitOptions>() ?? new LimitOptions();
            return limits.Problem() is null ? limits.MaxMessageBytes : new LimitOptions().MaxMessageBytes;
        }
        catch (InvalidOperationException)
        {
            return new LimitOptions().MaxMessageBytes;
        }
    }

    /// <summary>Null when usable, else what to fix (checked at start).</summary>
    public string? Problem() => this switch
    {
        { RequestsPerSecond: < 1 or > 100_000 } => $"{Section}:RequestsPerSecond must be 1..100000, got {RequestsPerSecond}",
        { RequestBurst: < 1 or > 1_000_000 } => $"{Section}:RequestBurst must be 1..1000000, got {RequestBurst}",
        { StreamsPerUser: < 1 or > 1_000 } => $"{Section}:StreamsPerUser must be 1..1000, got {StreamsPerUser}",
        { StreamsPerAddress: < 1 or > 10_000_000 } => $"{Section}:StreamsPerAddress must be 1..10000000, got {StreamsPerAddress}",
        { SessionsPerSecondPerAddress: < 1 or > 100_000 } => $"{Section}:SessionsPerSecondPerAddress must be 1..100000, got {SessionsPerSecondPerAddress}",
        { SessionBurstPerAddress: < 1 or > 1_000_000 } => $"{Section}:SessionBurstPerAddress must be 1..1000000, got {SessionBurstPerAddress}",
        { MaxMessageBytes: < 1024 or > 64 * 1024 * 1024 } => $"{Section}:MaxMessageBytes must be 1024..67108864 (bytes), got {MaxMessageBytes}",
        _ => null,
    };
}
