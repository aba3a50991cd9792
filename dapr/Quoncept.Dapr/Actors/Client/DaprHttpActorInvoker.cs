namespace Quoncept.Dapr.Actors.Client;

/// <summary>Actor calls through the sidecar: <c>PUT /v1.0/actors/{type}/{id}/method/{method}</c> (https://docs.dapr.io/reference/api/actors_api/#invoke-actor-method).</summary>
internal sealed class DaprHttpActorInvoker(DaprSidecar sidecar) : IActorInvoker
{
    // PUT /v1.0/actors/{actorType}/{actorId}/method/{method}, Content-Type: application/json, body = the argument's JSON
    public async Task<byte[]> InvokeAsync(string actorType, string actorId, string methodName, byte[]? body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorType);
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        Runtime.ActorCallChain.ThrowIfReentrant(actorType, actorId, methodName);
        var path = $"v1.0/actors/{DaprSidecar.Escape(actorType)}/{DaprSidecar.Escape(actorId)}/method/{DaprSidecar.Escape(methodName)}";
        using var request = sidecar.CreateRequest(HttpMethod.Put, path);
        request.Content = DaprSidecar.JsonContent(body ?? []);
        using var response = await sidecar.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw ActorInvocation.ToException(response.StatusCode, bytes, actorType, actorId, methodName);
        }

        return bytes;
    }
}
