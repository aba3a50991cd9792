using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Actors.Runtime;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr.Testing;

/// <summary>
/// Proxies in the test host call the runtime directly, through the same dispatch, mailbox and state transaction as
/// the HTTP endpoints, and see failures exactly as through a sidecar: the host's error body, parsed by the proxy.
/// </summary>
internal sealed class InProcessActorInvoker(IServiceProvider services) : IActorInvoker
{
    public async Task<byte[]> InvokeAsync(string actorType, string actorId, string methodName, byte[]? body, CancellationToken cancellationToken)
    {
        var runtime = services.GetRequiredService<ActorRuntime>();
        ActorCallChain.ThrowIfReentrant(actorType, actorId, methodName);
        try
        {
            // Like a network hop: the caller's own turn is not blocked while the callee runs.
            await Task.Yield();
            return await runtime.InvokeMethodAsync(actorType, actorId, methodName, body ?? [], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var errorBody = JsonSerializer.SerializeToUtf8Bytes(ActorInvocation.ErrorBody(ex, actorType, actorId, methodName), DaprWireContext.Default.ActorErrorWire);
            throw ActorInvocation.ToException(ActorInvocation.StatusFor(ex), errorBody, actorType, actorId, methodName);
        }
    }
}
