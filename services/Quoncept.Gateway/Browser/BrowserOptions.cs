namespace Quoncept.Gateway.Browser;

/// <summary>Configuration section "Quoncept:Gateway:Browser": the WebSocket transport and the page, on the web port.</summary>
internal sealed class BrowserOptions
{
    public const string Section = "Quoncept:Gateway:Browser";

    /// <summary>
    /// Origins (scheme://host[:port]) whose pages may open the WebSocket, besides the gateway's own
    /// page (an Origin equal to the request's host). "*" allows any. A request without an Origin
    /// header is not from a browser page and is let through: such a client could send any Origin.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>The largest frame accepted; a larger one closes the socket (1009). A ClientMessage is well under 1 KiB.</summary>
    public int MaxFrameBytes { get; set; } = 16 * 1024;

    /// <summary>Frames a socket may send per second on average, and in a burst, before it is closed (4429).</summary>
    public int MaxFramesPerSecond { get; set; } = 20;

    public int FrameBurst { get; set; } = 40;

    /// <summary>How long a new socket may take to send its BrowserHello (4408 after that).</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>WebSocket pings to an idle socket; one not answered within <see cref="KeepAliveTimeout"/> ends the connection (its grace period starts).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The folder of the page (client/web, prepared by its prepare.sh): public/ is served at "/",
    /// the protobuf and Connect runtimes from its node_modules at /vendor/. Empty: no page, only
    /// the WebSocket and gRPC-Web.
    /// </summary>
    public string? WebRoot { get; set; }

    /// <summary>Null when usable, else what to fix (checked at start).</summary>
    public string? Problem()
    {
        foreach (var origin in AllowedOrigins)
        {
            if (origin != "*" && OriginPolicy.Normalize(origin) is null)
            {
                return $"{Section}:AllowedOrigins: '{origin}' is not an origin; write scheme://host[:port] (http or https, no path), or * for any";
            }
        }
        if (MaxFrameBytes is < 256 or > 4 * 1024 * 1024) return $"{Section}:MaxFrameBytes must be 256..4194304, got {MaxFrameBytes}";
        if (MaxFramesPerSecond is < 1 or > 100_000) return $"{Section}:MaxFramesPerSecond must be 1..100000, got {MaxFramesPerSecond}";
        if (FrameBurst < MaxFramesPerSecond || FrameBurst > 1_000_000) return $"{Section}:FrameBurst must be at least MaxFramesPerSecond ({MaxFramesPerSecond}) and at most 1000000, got {FrameBurst}";
        if (HelloTimeout <= TimeSpan.Zero || HelloTimeout > TimeSpan.FromMinutes(5)) return $"{Section}:HelloTimeout must be a TimeSpan above zero and up to 00:05:00, got {HelloTimeout}";
        if (KeepAliveInterval <= TimeSpan.Zero) return $"{Section}:KeepAliveInterval must be a positive TimeSpan such as 00:00:15";
        if (KeepAliveTimeout <= TimeSpan.Zero) return $"{Section}:KeepAliveTimeout must be a positive TimeSpan such as 00:00:15";
        if (!string.IsNullOrEmpty(WebRoot) && WebPage.Missing(WebRoot) is { } missing) return $"{Section}:WebRoot '{WebRoot}': {missing}";
        return null;
    }
}
