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

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(GatewayId)) throw new InvalidOperationException($"{Section}:GatewayId must not be empty.");
        if (OutboundQueueCapacity is < 1 or > 1_000_000) throw new InvalidOperationException($"{Section}:OutboundQueueCapacity must be 1..1000000, got {OutboundQueueCapacity}.");
        if (RecentEventsPerSystem is < 1 or > 10_000) throw new InvalidOperationException($"{Section}:RecentEventsPerSystem must be 1..10000, got {RecentEventsPerSystem}.");
        if (TerminateWriteTimeout <= TimeSpan.Zero) throw new InvalidOperationException($"{Section}:TerminateWriteTimeout must be positive.");
    }
}
