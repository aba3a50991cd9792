namespace Quoncept.Sidecar.Apps;

/// <summary>
/// The "app channel" of an instance: pooled connections to http://127.0.0.1:{appPort}/. The socket
/// handler's own W3C propagation writes the current span's <c>traceparent</c> (and <c>tracestate</c>)
/// on every call, which is how an invoked app, an actor or a subscriber continues the caller's trace.
/// </summary>
internal static class AppChannel
{
    public static HttpClient Create(int appPort, TimeSpan timeout) =>
        new(new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = 256,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
        })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{appPort}/"),
            Timeout = timeout,
        };
}
