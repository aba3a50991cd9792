namespace Quoncept.Sidecar.Apps;

/// <summary>
/// The "app channel" of an instance: pooled connections to http://127.0.0.1:{appPort}/. The socket
/// handler's own W3C propagation writes the current span's <c>traceparent</c> (and <c>tracestate</c>)
/// on every call, which is how an invoked app, an actor or a subscriber continues the caller's trace.
/// With an app API token every call but a health probe carries it (<see cref="AppApiTokenHandler"/>).
/// </summary>
internal static class AppChannel
{
    /// <summary>Marks a request as a health probe: it goes without the app API token, as daprd's probes do.</summary>
    public static readonly HttpRequestOptionsKey<bool> HealthProbe = new("Quoncept.Sidecar.HealthProbe");

    public static HttpClient Create(int appPort, TimeSpan timeout, string? appApiToken = null)
    {
        HttpMessageHandler sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = 256,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        return new(appApiToken is null ? sockets : new AppApiTokenHandler(appApiToken, sockets))
        {
            BaseAddress = new Uri($"http://127.0.0.1:{appPort}/"),
            Timeout = timeout,
        };
    }
}
