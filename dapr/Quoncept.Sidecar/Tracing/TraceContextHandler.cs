using System.Diagnostics;

namespace Quoncept.Sidecar.Tracing;

/// <summary>
/// Puts the current span's W3C trace context on every outgoing request to an app
/// (https://www.w3.org/TR/trace-context/#traceparent-header): <c>traceparent: 00-{trace}-{span}-{flags}</c>.
/// The socket handler's own propagation is switched off so the header is written once.
/// </summary>
internal sealed class TraceContextHandler : DelegatingHandler
{
    public TraceContextHandler(HttpMessageHandler inner) : base(inner)
    {
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Activity.Current is { } activity && !request.Headers.Contains("traceparent"))
        {
            request.Headers.TryAddWithoutValidation("traceparent", activity.Id);
            if (!string.IsNullOrEmpty(activity.TraceStateString))
            {
                request.Headers.TryAddWithoutValidation("tracestate", activity.TraceStateString);
            }
        }
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>An app channel: pooled sockets to 127.0.0.1:{port}, trace context on every call.</summary>
    public static HttpClient CreateAppChannel(int appPort, TimeSpan timeout)
    {
        var sockets = new SocketsHttpHandler
        {
            ActivityHeadersPropagator = null,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = 256,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        return new HttpClient(new TraceContextHandler(sockets))
        {
            BaseAddress = new Uri($"http://127.0.0.1:{appPort}/"),
            Timeout = timeout,
        };
    }
}
