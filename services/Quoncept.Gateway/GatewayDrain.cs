namespace Quoncept.Gateway;

/// <summary>
/// Set once the host begins to stop (SIGTERM): from then on no new session or stream is taken
/// (UNAVAILABLE, "connect to another gateway"), readiness reports not serving, and every open stream
/// is told <c>Terminate{shutdown}</c> so that its client resumes on another gateway within the grace period.
/// </summary>
internal sealed class GatewayDrain
{
    public const string RefusalMessage = "this gateway is shutting down; connect to another gateway (reuse your connection id to resume)";

    private volatile bool _draining;

    public bool IsDraining => _draining;

    public void Begin() => _draining = true;
}
