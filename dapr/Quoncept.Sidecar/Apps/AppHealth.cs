namespace Quoncept.Sidecar.Apps;

internal enum AppHealth
{
    /// <summary>Started (or expected) but not yet answering its health check.</summary>
    Starting,
    Healthy,
    /// <summary>Was healthy, now fails its health check; may come back.</summary>
    Unhealthy,
    /// <summary>Its process exited or the runtime is stopping; it will not come back.</summary>
    Gone,
}
