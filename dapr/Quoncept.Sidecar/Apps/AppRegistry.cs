using System.Runtime.CompilerServices;
using Quoncept.Sidecar.Errors;

namespace Quoncept.Sidecar.Apps;

/// <summary>
/// Every app instance this runtime fronts. An API request's calling app is the instance whose
/// sidecar port (HTTP or gRPC) the request came in on. Raises <see cref="AppHealthy"/> when an instance starts
/// (or again) answering its health check and <see cref="AppUnavailable"/> when it stops or goes
/// away, so placement and subscriptions can follow.
/// </summary>
internal sealed class AppRegistry
{
    private readonly List<AppInstance> _instances;
    private readonly Dictionary<int, AppInstance> _bySidecarPort;
    private readonly HashSet<int> _grpcPorts;
    private readonly HashSet<int> _appPorts;
    private readonly Dictionary<string, AppInstance[]> _byAppId;
    private readonly Dictionary<string, StrongBox<int>> _roundRobin;

    public AppRegistry(IEnumerable<AppInstance> instances)
    {
        _instances = instances.ToList();
        _bySidecarPort = _instances.Select(i => (i.SidecarHttpPort, i)).Concat(_instances.Select(i => (i.SidecarGrpcPort, i)))
            .ToDictionary(p => p.Item1, p => p.i);
        _grpcPorts = _instances.Select(i => i.SidecarGrpcPort).ToHashSet();
        _appPorts = _instances.Select(i => i.AppPort).OfType<int>().ToHashSet();
        _byAppId = _instances.GroupBy(i => i.AppId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _roundRobin = _byAppId.Keys.ToDictionary(k => k, _ => new StrongBox<int>(-1), StringComparer.Ordinal);
    }

    /// <summary>An instance became healthy (first time or after being unhealthy).</summary>
    public event Action<AppInstance>? AppHealthy;

    /// <summary>An instance stopped answering its health check, exited, or is being stopped.</summary>
    public event Action<AppInstance>? AppUnavailable;

    public IReadOnlyList<AppInstance> All => _instances;

    public IEnumerable<string> AppIds => _byAppId.Keys;

    public AppInstance? FindBySidecarPort(int port) => _bySidecarPort.GetValueOrDefault(port);

    /// <summary>True for a port that serves Dapr's gRPC API (the others serve the HTTP API).</summary>
    public bool IsGrpcPort(int port) => _grpcPorts.Contains(port);

    /// <summary>True for the port of an app this runtime calls (its app channel).</summary>
    public bool IsAppPort(int port) => _appPorts.Contains(port);

    /// <summary>The app whose sidecar port (HTTP or gRPC) the request arrived on.</summary>
    public AppInstance CallerOf(HttpContext context) =>
        FindBySidecarPort(context.Connection.LocalPort)
        ?? throw new DaprApiException(500, "ERR_INTERNAL", $"no app is bound to sidecar port {context.Connection.LocalPort}");

    public IReadOnlyList<AppInstance> InstancesOf(string appId) =>
        _byAppId.TryGetValue(appId, out var instances) ? instances : [];

    public bool IsKnown(string appId) => _byAppId.ContainsKey(appId);

    /// <summary>The next healthy replica of <paramref name="appId"/> in round-robin order, or the Dapr error.</summary>
    public AppInstance NextHealthy(string appId)
    {
        if (!_byAppId.TryGetValue(appId, out var instances))
        {
            throw DaprErrors.AppNotFound(appId);
        }
        var counter = _roundRobin[appId];
        for (var attempt = 0; attempt < instances.Length; attempt++)
        {
            var index = (int)((uint)Interlocked.Increment(ref counter.Value) % (uint)instances.Length);
            var candidate = instances[index];
            if (candidate.IsHealthy && candidate.Channel is not null)
            {
                return candidate;
            }
        }
        throw DaprErrors.AppUnavailable(appId, "no healthy instance with an app port is running");
    }

    public void SetHealth(AppInstance instance, AppHealth health)
    {
        if (!instance.TrySetHealth(health))
        {
            return;
        }
        if (health == AppHealth.Healthy)
        {
            AppHealthy?.Invoke(instance);
        }
        else if (health is AppHealth.Unhealthy or AppHealth.Gone)
        {
            AppUnavailable?.Invoke(instance);
        }
    }
}
