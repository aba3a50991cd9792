using Quoncept.Sidecar.Hosting;

namespace Quoncept.Sidecar.Apps;

/// <summary>
/// App API token authentication (https://docs.dapr.io/operations/security/app-api-token/): with <c>APP_API_TOKEN</c>
/// in the runtime's environment, every call into an app (invocation, deliveries, actor calls, <c>/dapr/config</c>,
/// <c>/dapr/subscribe</c>) carries it in <c>dapr-api-token</c>, replacing whatever was there, as daprd's HTTP app
/// channel sets it; health probes go without it, as daprd's do. Apps check it with Dapr.AspNetCore's
/// <c>AddAuthentication().AddDapr()</c> or their SDK's equivalent.
/// </summary>
internal sealed class AppApiTokenHandler(string token, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(ApiToken.Header);
        if (!request.Options.TryGetValue(AppChannel.HealthProbe, out var probe) || !probe)
        {
            request.Headers.TryAddWithoutValidation(ApiToken.Header, token);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
