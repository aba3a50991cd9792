using System.Text.Json;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>Actor state through the sidecar (https://docs.dapr.io/reference/api/actors_api/#get-actor-state).</summary>
internal sealed class DaprHttpActorStateProvider(DaprSidecar sidecar) : IActorStateProvider
{
    // GET /v1.0/actors/{actorType}/{actorId}/state/{key} -> 200 with the value | 204 when absent
    public async Task<byte[]?> TryLoadStateAsync(string actorType, string actorId, string stateName, CancellationToken cancellationToken)
    {
        var path = $"{Root(actorType, actorId)}/state/{DaprSidecar.Escape(stateName)}";
        using var request = sidecar.CreateRequest(HttpMethod.Get, path);
        using var response = await sidecar.SendCheckedAsync(request, $"Get state '{stateName}' of actor {actorType}/{actorId}", cancellationToken).ConfigureAwait(false);
        if (DaprSidecar.IsNoContent(response))
        {
            return null;
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return bytes.Length == 0 ? null : bytes;
    }

    // PUT /v1.0/actors/{actorType}/{actorId}/state
    // [{"operation":"upsert","request":{"key":"k","value":<json>}},{"operation":"delete","request":{"key":"k"}}] -> 204
    public async Task SaveStateAsync(string actorType, string actorId, IReadOnlyList<ActorStateChange> changes, CancellationToken cancellationToken)
    {
        var operations = new List<ActorStateOperationWire>(changes.Count);
        foreach (var change in changes)
        {
            operations.Add(new ActorStateOperationWire
            {
                Operation = change.IsDelete ? "delete" : "upsert",
                Request = new ActorStateRequestWire
                {
                    Key = change.StateName,
                    Value = change.Value is null ? null : JsonSerializer.Deserialize(change.Value, DaprWireContext.Default.JsonElement),
                },
            });
        }

        using var request = sidecar.CreateRequest(HttpMethod.Put, $"{Root(actorType, actorId)}/state");
        request.Content = DaprSidecar.JsonContent(JsonSerializer.SerializeToUtf8Bytes(operations, DaprWireContext.Default.ListActorStateOperationWire));
        using var response = await sidecar.SendCheckedAsync(request, $"Save {changes.Count} state changes of actor {actorType}/{actorId}", cancellationToken).ConfigureAwait(false);
    }

    private static string Root(string actorType, string actorId) => $"v1.0/actors/{DaprSidecar.Escape(actorType)}/{DaprSidecar.Escape(actorId)}";
}
