using System.Text.Json;

namespace Quoncept.Dapr;

/// <summary>Service invocation, actor invocation and health.</summary>
public abstract partial class DaprClient
{
    // ---- service invocation: https://docs.dapr.io/reference/api/service_invocation_api/

    public abstract HttpRequestMessage CreateInvokeMethodRequest(HttpMethod httpMethod, string appId, string methodName);

    public abstract HttpRequestMessage CreateInvokeMethodRequest<TRequest>(HttpMethod httpMethod, string appId, string methodName, TRequest data);

    /// <summary>Sends a request made by <see cref="CreateInvokeMethodRequest"/>; the response is returned whatever its status.</summary>
    public abstract Task<HttpResponseMessage> InvokeMethodWithResponseAsync(HttpRequestMessage request, CancellationToken cancellationToken = default);

    /// <summary>Sends the request; throws <see cref="InvocationException"/> on a non-2xx answer.</summary>
    public async Task InvokeMethodAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using var response = await InvokeMethodWithResponseAsync(request, cancellationToken).ConfigureAwait(false);
        await DaprInvocation.EnsureSuccessAsync(request, response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the request and reads the JSON answer; throws <see cref="InvocationException"/> on a non-2xx answer.</summary>
    public async Task<TResponse> InvokeMethodAsync<TResponse>(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using var response = await InvokeMethodWithResponseAsync(request, cancellationToken).ConfigureAwait(false);
        await DaprInvocation.EnsureSuccessAsync(request, response, cancellationToken).ConfigureAwait(false);
        return await DaprInvocation.ReadJsonAsync<TResponse>(request, response, JsonSerializerOptions, cancellationToken).ConfigureAwait(false);
    }

    public Task InvokeMethodAsync(string appId, string methodName, CancellationToken cancellationToken = default) =>
        InvokeMethodAsync(CreateInvokeMethodRequest(HttpMethod.Post, appId, methodName), cancellationToken);

    public Task InvokeMethodAsync(HttpMethod httpMethod, string appId, string methodName, CancellationToken cancellationToken = default) =>
        InvokeMethodAsync(CreateInvokeMethodRequest(httpMethod, appId, methodName), cancellationToken);

    public Task InvokeMethodAsync<TRequest>(string appId, string methodName, TRequest data, CancellationToken cancellationToken = default) =>
        InvokeMethodAsync(CreateInvokeMethodRequest(HttpMethod.Post, appId, methodName, data), cancellationToken);

    public Task InvokeMethodAsync<TRequest>(HttpMethod httpMethod, string appId, string methodName, TRequest data, CancellationToken cancellationToken = default) =>
        InvokeMethodAsync(CreateInvokeMethodRequest(httpMethod, appId, methodName, data), cancellationToken);

    public Task<TResponse> InvokeMethodAsync<TResponse>(string appId, string methodName, CancellationToken cancellationToken = default) =>
        InvokeMethodAsync<TResponse>(CreateInvokeMethodRequest(HttpMethod.Post, appId, methodName), cancellationToken);

    public Task<TResponse> InvokeMethodAsync<TResponse>(HttpMethod httpMethod, string appId, string methodName, CancellationToken cancellationToken = default) =>
        InvokeMethodAsync<TResponse>(CreateInvokeMethodRequest(httpMethod, appId, methodName), cancellationToken);

    public Task<TResponse> InvokeMethodAsync<TRequest, TResponse>(string appId, string methodName, TRequest data, CancellationToken cancellationToken = default) =>
        InvokeMethodAsync<TResponse>(CreateInvokeMethodRequest(HttpMethod.Post, appId, methodName, data), cancellationToken);

    public Task<TResponse> InvokeMethodAsync<TRequest, TResponse>(HttpMethod httpMethod, string appId, string methodName, TRequest data, CancellationToken cancellationToken = default) =>
        InvokeMethodAsync<TResponse>(CreateInvokeMethodRequest(httpMethod, appId, methodName, data), cancellationToken);

    /// <summary>
    /// A plain <see cref="HttpClient"/> whose requests go through the sidecar: <c>GET /orders/1</c> becomes
    /// <c>GET {sidecar}/v1.0/invoke/{appId}/method/orders/1</c>. With no <paramref name="appId"/> the request's
    /// host names the app (<c>http://orders/orders/1</c>), as in the official SDK.
    /// </summary>
    public static HttpClient CreateInvokeHttpClient(string? appId = null, string? daprEndpoint = null, string? daprApiToken = null)
    {
        var handler = new InvocationHandler
        {
            DaprEndpoint = daprEndpoint ?? DaprDefaults.GetDefaultHttpEndpoint().AbsoluteUri,
            DaprApiToken = daprApiToken ?? DaprDefaults.GetDefaultDaprApiToken(),
            InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };
        var client = new HttpClient(handler);
        if (appId is not null)
        {
            client.BaseAddress = new Uri("http://" + InvocationHandler.ValidateAppId(appId) + "/");
        }

        return client;
    }

    // ---- actors: https://docs.dapr.io/reference/api/actors_api/#invoke-actor-method

    /// <summary>Invokes an actor method with a JSON argument and reads its JSON result (what a typed ActorProxy does).</summary>
    public abstract Task<TResponse> InvokeActorMethodAsync<TRequest, TResponse>(
        string actorType, string actorId, string methodName, TRequest data, CancellationToken cancellationToken = default);

    public abstract Task InvokeActorMethodAsync<TRequest>(
        string actorType, string actorId, string methodName, TRequest data, CancellationToken cancellationToken = default);

    // ---- health: https://docs.dapr.io/reference/api/health_api/

    /// <summary><c>GET /v1.0/healthz</c>: true once the sidecar and its app channel are ready.</summary>
    public abstract Task<bool> CheckHealthAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /v1.0/healthz/outbound</c>: true once the sidecar can serve the app's calls.</summary>
    public abstract Task<bool> CheckOutboundHealthAsync(CancellationToken cancellationToken = default);

    /// <summary>Polls outbound health until it answers or <paramref name="cancellationToken"/> fires.</summary>
    public abstract Task WaitForSidecarAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Polls outbound health for at most <paramref name="timeout"/>; throws <see cref="DaprException"/> naming the
    /// address and the last error when the sidecar never comes.
    /// </summary>
    public abstract Task WaitForSidecarAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}
