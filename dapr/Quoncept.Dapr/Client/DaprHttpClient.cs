using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr;

/// <summary><see cref="DaprClient"/> over the sidecar's HTTP API (https://docs.dapr.io/reference/api/).</summary>
internal sealed partial class DaprHttpClient : DaprClient
{
    private readonly DaprSidecar _sidecar;
    private readonly IActorInvoker _actors;

    public DaprHttpClient(DaprSidecar sidecar)
    {
        _sidecar = sidecar;
        _actors = new DaprHttpActorInvoker(sidecar);
    }

    public override JsonSerializerOptions JsonSerializerOptions => _sidecar.JsonOptions;

    internal DaprSidecar Sidecar => _sidecar;

    public override HttpRequestMessage CreateInvokeMethodRequest(HttpMethod httpMethod, string appId, string methodName)
    {
        var request = _sidecar.CreateRequest(httpMethod, DaprInvocation.RelativePath(appId, methodName));
        DaprInvocation.Tag(request, appId, methodName);
        return request;
    }

    public override HttpRequestMessage CreateInvokeMethodRequest<TRequest>(HttpMethod httpMethod, string appId, string methodName, TRequest data)
    {
        var request = CreateInvokeMethodRequest(httpMethod, appId, methodName);
        request.Content = DaprSidecar.JsonContent(JsonSerializer.SerializeToUtf8Bytes(data, _sidecar.JsonOptions));
        return request;
    }

    public override Task<HttpResponseMessage> InvokeMethodWithResponseAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        _sidecar.SendAsync(request, cancellationToken);

    public override async Task<TResponse> InvokeActorMethodAsync<TRequest, TResponse>(
        string actorType, string actorId, string methodName, TRequest data, CancellationToken cancellationToken = default)
    {
        var result = await _actors.InvokeAsync(actorType, actorId, methodName, JsonSerializer.SerializeToUtf8Bytes(data, _sidecar.JsonOptions), cancellationToken).ConfigureAwait(false);
        return ActorInvocation.DeserializeResult<TResponse>(result, _sidecar.JsonOptions, actorType, methodName);
    }

    public override Task InvokeActorMethodAsync<TRequest>(
        string actorType, string actorId, string methodName, TRequest data, CancellationToken cancellationToken = default) =>
        _actors.InvokeAsync(actorType, actorId, methodName, JsonSerializer.SerializeToUtf8Bytes(data, _sidecar.JsonOptions), cancellationToken);

    public override Task<bool> CheckHealthAsync(CancellationToken cancellationToken = default) => ProbeAsync("v1.0/healthz", cancellationToken);

    public override Task<bool> CheckOutboundHealthAsync(CancellationToken cancellationToken = default) => ProbeAsync("v1.0/healthz/outbound", cancellationToken);

    public override Task WaitForSidecarAsync(CancellationToken cancellationToken = default) =>
        SidecarWaiter.WaitAsync(this, _sidecar.Endpoint, Timeout.InfiniteTimeSpan, cancellationToken);

    public override Task WaitForSidecarAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        SidecarWaiter.WaitAsync(this, _sidecar.Endpoint, timeout, cancellationToken);

    private async Task<bool> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        using var request = _sidecar.CreateRequest(HttpMethod.Get, path);
        try
        {
            using var response = await _sidecar.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (DaprException)
        {
            return false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sidecar.Dispose();
        }
    }
}
