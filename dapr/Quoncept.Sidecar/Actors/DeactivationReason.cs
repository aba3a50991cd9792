namespace Quoncept.Sidecar.Actors;

internal enum DeactivationReason
{
    /// <summary>No call for actorIdleTimeout.</summary>
    Idle,

    /// <summary>Placement moved the actor to another host (a host joined).</summary>
    Rebalanced,

    /// <summary>Its host turned unhealthy or went away.</summary>
    HostGone,

    /// <summary>The runtime stops.</summary>
    Shutdown,
}
