using System.Diagnostics;
using Quoncept.Sidecar.Tracing;

namespace Quoncept.Sidecar.Actors.Api;

/// <summary>
/// <c>GET|POST|PUT|DELETE /v1.0/actors/{actorType}/{actorId}/method/{method}</c>
/// (https://docs.dapr.io/reference/api/actors_api/#invoke-actor-method): body, query and headers go to
/// the actor's host as <c>PUT /actors/{actorType}/{actorId}/method/{method}</c>. The app's 200 answer
/// comes back as it is, headers included (also when it carries <c>X-DaprErrorResponseHeader</c>, the
/// .NET SDK's way to report an actor exception); any other status becomes daprd's 500
/// <c>ERR_ACTOR_INVOKE_METHOD</c> carrying the app's status and body.
/// </summary>
internal static class ActorInvokeEndpoint
{
    private static readonly HashSet<string> NotCopiedBack = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Server", "Date",
    };

    public static async Task HandleAsync(HttpContext context, string actorType, string actorId, string method, ActorInvoker invoker)
    {
        var cancellationToken = context.RequestAborted;
        var request = context.Request;
        var body = await Sidecar.Api.RequestBody.ReadBytesAsync(context);
        var call = new ActorCall(
            new ActorKey(actorType, actorId), Uri.EscapeDataString(method), body, request.ContentType,
            request.QueryString.HasValue ? request.QueryString.Value : null, request.Headers,
            request.Headers.TryGetValue(Hosting.ActorAppChannel.ReentrancyHeader, out var reentrancy) ? reentrancy.ToString() : null);

        using var span = SidecarTracing.Source.StartActivity("CallActor/" + actorType + "/" + method, ActivityKind.Client);
        using var response = await invoker.InvokeAsync(call, cancellationToken);
        await ActorInvoker.EnsureSuccessAsync(response, method, cancellationToken);

        var outgoing = context.Response;
        outgoing.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers)
        {
            if (!NotCopiedBack.Contains(name))
            {
                outgoing.Headers.Append(name, values.ToArray());
            }
        }
        foreach (var (name, values) in response.Content.Headers)
        {
            if (!NotCopiedBack.Contains(name))
            {
                outgoing.Headers[name] = values.ToArray();
            }
        }
        var result = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        outgoing.ContentLength = result.Length;
        await outgoing.Body.WriteAsync(result, cancellationToken);
    }
}
