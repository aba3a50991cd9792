namespace Quoncept.Sidecar.Apps;

/// <summary>
/// One app process this runtime fronts (one replica of an app id): the ports its sidecar's HTTP and
/// gRPC APIs listen on, its own port, and the "app channel" HttpClient to http://127.0.0.1:{appPort}
/// that carries the current trace context (traceparent) on every call.
/// </summary>
internal sealed class AppInstance
{
    private int _health = (int)AppHealth.Starting;
    private volatile bool _hasBeenHealthy;

    public AppInstance(string appId, string instanceId, int sidecarHttpPort, int sidecarGrpcPort, int? appPort, HttpClient? channel)
    {
        AppId = appId;
        InstanceId = instanceId;
        SidecarHttpPort = sidecarHttpPort;
        SidecarGrpcPort = sidecarGrpcPort;
        AppPort = appPort;
        Channel = channel;
    }

    public string AppId { get; }

    /// <summary>Unique per replica: the app id, or <c>{appId}-{n}</c> for the n-th replica of one id.</summary>
    public string InstanceId { get; }

    /// <summary>The port this instance's sidecar HTTP API listens on (its DAPR_HTTP_PORT).</summary>
    public int SidecarHttpPort { get; }

    /// <summary>The port this instance's sidecar gRPC API (<c>dapr.proto.runtime.v1.Dapr</c>, HTTP/2 only) listens on (its DAPR_GRPC_PORT).</summary>
    public int SidecarGrpcPort { get; }

    /// <summary>Null when the app has no port (no callbacks: no subscriptions, invocation or actors).</summary>
    public int? AppPort { get; }

    /// <summary>Calls into the app; base address http://127.0.0.1:{AppPort}. Null without an app port.</summary>
    public HttpClient? Channel { get; }

    public AppHealth Health => (AppHealth)Volatile.Read(ref _health);

    public bool IsHealthy => Health == AppHealth.Healthy;

    /// <summary>
    /// True from the first time the app was healthy: daprd's initialization ends when its app first answers, and
    /// its <c>/v1.0/healthz</c> stays ready from then on, whatever the app does later.
    /// </summary>
    public bool HasBeenHealthy => _hasBeenHealthy;

    /// <summary>Sets the health; returns true when it changed. Gone is final.</summary>
    internal bool TrySetHealth(AppHealth health)
    {
        while (true)
        {
            var current = Volatile.Read(ref _health);
            if (current == (int)health || current == (int)AppHealth.Gone)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _health, (int)health, current) == current)
            {
                _hasBeenHealthy |= health == AppHealth.Healthy;
                return true;
            }
        }
    }

    public override string ToString() => AppPort is { } port
        ? $"{InstanceId} (app :{port}, sidecar http :{SidecarHttpPort} grpc :{SidecarGrpcPort})"
        : $"{InstanceId} (no app port, sidecar http :{SidecarHttpPort} grpc :{SidecarGrpcPort})";
}
