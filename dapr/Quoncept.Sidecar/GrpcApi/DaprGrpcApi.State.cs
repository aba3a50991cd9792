using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Quoncept.Sidecar.Api;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.GrpcApi;

/// <summary>The state methods of the gRPC API, run by <see cref="StateService"/> (https://docs.dapr.io/reference/api/state_api/).</summary>
internal sealed partial class DaprGrpcApi
{
    public async Task<GetStateResponse> GetState(GetStateRequest request, ServerCallContext call)
    {
        var entry = await state.GetAsync(Caller(call), request.StoreName, request.Key, call.CancellationToken);
        return entry is null
            ? new GetStateResponse()
            : new GetStateResponse { Data = UnsafeByteOperations.UnsafeWrap(entry.Value), Etag = entry.ETag };
    }

    /// <summary>Every key gets an item, in the order asked; an absent key's item has no data and no etag.</summary>
    public async Task<GetBulkStateResponse> GetBulkState(GetBulkStateRequest request, ServerCallContext call)
    {
        var caller = Caller(call);
        state.RequireStore(caller, request.StoreName);
        var response = new GetBulkStateResponse();
        if (request.Keys.Count == 0)
        {
            return response;
        }
        var entries = await state.GetBulkAsync(caller, request.StoreName, request.Keys, call.CancellationToken);
        for (var i = 0; i < request.Keys.Count; i++)
        {
            response.Items.Add(entries[i] is { } entry
                ? new BulkStateItem { Key = request.Keys[i], Data = UnsafeByteOperations.UnsafeWrap(entry.Value), Etag = entry.ETag }
                : new BulkStateItem { Key = request.Keys[i] });
        }
        return response;
    }

    public async Task<Empty> SaveState(SaveStateRequest request, ServerCallContext call)
    {
        var caller = Caller(call);
        state.RequireStore(caller, request.StoreName);
        var upserts = request.States.Select(item => item.Key.Length == 0
            ? throw new DaprApiException(400, "ERR_STATE_SAVE", "state key cannot be empty")
            : Upsert(item, null)).ToList();
        await state.SaveAsync(caller, request.StoreName, upserts, call.CancellationToken);
        return new Empty();
    }

    public async Task<Empty> DeleteState(DeleteStateRequest request, ServerCallContext call)
    {
        await state.DeleteAsync(Caller(call), request.StoreName, Delete(request.Key, request.Etag, request.Options), call.CancellationToken);
        return new Empty();
    }

    public async Task<Empty> DeleteBulkState(DeleteBulkStateRequest request, ServerCallContext call)
    {
        var deletes = request.States.Select(item => Delete(item.Key, item.Etag, item.Options)).ToList();
        await state.DeleteBulkAsync(Caller(call), request.StoreName, deletes, call.CancellationToken);
        return new Empty();
    }

    /// <summary>Operations <c>upsert</c> and <c>delete</c>, all or nothing; any other type is UNIMPLEMENTED, as with daprd.</summary>
    public async Task<Empty> ExecuteStateTransaction(ExecuteStateTransactionRequest request, ServerCallContext call)
    {
        var caller = Caller(call);
        state.RequireStore(caller, request.StoreName);
        var operations = request.Operations.Select(operation => operation.OperationType switch
        {
            "upsert" => Upsert(operation.Request ?? new StateItem(), request.Metadata),
            "delete" => Delete(operation.Request?.Key ?? "", operation.Request?.Etag, operation.Request?.Options),
            var other => throw DaprErrors.UnsupportedStateOperation(other),
        }).ToList();
        await state.TransactAsync(caller, request.StoreName, operations, call.CancellationToken);
        return new Empty();
    }

    private static StateOperation Upsert(StateItem item, MapField<string, string>? outerMetadata)
    {
        var ttlText = item.Metadata.GetValueOrDefault("ttlInSeconds") ?? outerMetadata?.GetValueOrDefault("ttlInSeconds");
        return StateOperation.Upsert(item.Key, item.Value.ToByteArray(), ETag(item.Etag), Concurrency(item.Options),
            StateService.Ttl(ttlText, $"state item {item.Key}"));
    }

    private static StateOperation Delete(string key, Etag? etag, StateOptions? options) =>
        StateOperation.Delete(key, ETag(etag), Concurrency(options));

    private static string? ETag(Etag? etag) => etag is { Value.Length: > 0 } ? etag.Value : null;

    private static StateConcurrency Concurrency(StateOptions? options) =>
        options?.Concurrency == StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite ? StateConcurrency.FirstWrite : StateConcurrency.LastWrite;
}
