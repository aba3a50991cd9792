namespace Quoncept.Gateway;

/// <summary>Configuration section "Quoncept:Gateway".</summary>
internal sealed class GatewayOptions
{
    public const string Section = "Quoncept:Gateway";

    /// <summary>Names this replica to the session actors; a fresh one per process unless configured.</summary>
    public string GatewayId { get; set; } = "gw-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Messages waiting for one client; a client that falls this far behind is cut off.</summary>
    public int OutboundQueueCapacity { get; set; } = 1024;

    /// <summary>How long a terminated stream may take to accept its Terminate message before it is aborted.</summary>
    public TimeSpan TerminateWriteTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Recent live events kept per system, replayed to a connection whose snapshot is older.</summary>
    public int RecentEventsPerSystem { get; set; } = 64;

    /// <summary>Chats of one stream that may be out at once (a stream's other requests go one at a time).</summary>
    public int ChatsInFlightPerStream { get; set; } = 16;

    /// <summary>Null when usable, else what to fix (checked at start).</summary>
    public string? Problem() => this switch
    {
        _ when string.IsNullOrWhiteSpace(GatewayId) => $"{Section}:GatewayId must not be empty",
        { OutboundQueueCapacity: < 1 or > 1_000_000 } => $"{Section}:OutboundQueueCapacity must be 1..1000000, got {OutboundQueueCapacity}",
        { ChatsInFlightPerStream: < 1 or > 64 } => $"{Section}:ChatsInFlightPerStream must be 1..64, got {ChatsInFlightPerStream}",
        { RecentEventsPerSystem: < 1 or > 10_000 } => $"{Section}:RecentEventsPerSystem must be 1..10000, got {RecentEventsPerSystem}",
        _ when TerminateWriteTimeout <= TimeSpan.Zero => $"{Section}:TerminateWriteTimeout must be a positive TimeSpan such as 00:00:02",
        _ => null,
    };
}
