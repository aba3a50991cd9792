using System.Globalization;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// The state building block (https://docs.dapr.io/reference/api/state_api/) behind both transports:
/// the HTTP endpoints and the gRPC methods turn their requests into <see cref="StateOperation"/>s on the
/// app's own keys, and this resolves the store, prefixes keys with <c>{appId}||</c>, and runs them.
/// Failures carry both of daprd's answers: an etag mismatch is HTTP 409 <c>ERR_STATE_ETAG_MISMATCH</c>
/// and gRPC ABORTED (INTERNAL inside a transaction, as daprd's ExecuteStateTransaction answers), a bad
/// etag 400 / INVALID_ARGUMENT, any other store failure 500 / INTERNAL with the operation's error code.
/// </summary>
internal sealed class StateService(ComponentRegistry components)
{
    /// <summary>Fails as daprd does when the store is unknown, before the request body is read.</summary>
    public void RequireStore(AppInstance caller, string storeName) => components.GetStateStore(storeName, caller.AppId);

    public async Task<StateEntry?> GetAsync(AppInstance caller, string storeName, string key, CancellationToken cancellationToken)
    {
        var store = components.GetStateStore(storeName, caller.AppId);
        var storeKey = StoreKey(Prefix(storeName, caller.AppId), key);
        return await Guard(() => store.GetAsync(storeKey, cancellationToken).AsTask(),
            "ERR_STATE_GET", $"fail to get {key} from state store {storeName}", etagInTransaction: false);
    }

    /// <summary>One entry per key, in the order asked; null where a key is absent.</summary>
    public async Task<IReadOnlyList<StateEntry?>> GetBulkAsync(AppInstance caller, string storeName, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var store = components.GetStateStore(storeName, caller.AppId);
        var prefix = Prefix(storeName, caller.AppId);
        var storeKeys = keys.Select(k => StoreKey(prefix, k)).ToList();
        return await Guard(() => store.GetBulkAsync(storeKeys, cancellationToken).AsTask(),
            "ERR_STATE_BULK_GET", $"failed getting state in bulk from state store {storeName}", etagInTransaction: false);
    }

    /// <summary>Upserts one by one, in order (as daprd's bulk set does for a store without bulk writes).</summary>
    public Task SaveAsync(AppInstance caller, string storeName, IReadOnlyList<StateOperation> upserts, CancellationToken cancellationToken) =>
        ApplyEachAsync(caller, storeName, upserts, "ERR_STATE_SAVE", $"failed saving state in state store {storeName}", cancellationToken);

    public Task DeleteAsync(AppInstance caller, string storeName, StateOperation delete, CancellationToken cancellationToken) =>
        ApplyEachAsync(caller, storeName, [delete], "ERR_STATE_DELETE", $"failed deleting state with key {delete.Key}", cancellationToken);

    public Task DeleteBulkAsync(AppInstance caller, string storeName, IReadOnlyList<StateOperation> deletes, CancellationToken cancellationToken) =>
        ApplyEachAsync(caller, storeName, deletes, "ERR_STATE_BULK_DELETE", $"failed deleting state in state store {storeName}", cancellationToken);

    /// <summary>All operations or none.</summary>
    public async Task TransactAsync(AppInstance caller, string storeName, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        var store = components.GetStateStore(storeName, caller.AppId);
        var prefix = Prefix(storeName, caller.AppId);
        var prefixed = operations.Select(o => o with { Key = StoreKey(prefix, o.Key) }).ToList();
        await Guard(async () =>
        {
            await store.TransactAsync(prefixed, cancellationToken);
            return true;
        }, "ERR_STATE_TRANSACTION", "error while executing state transaction", etagInTransaction: true);
    }

    /// <summary>
    /// Metadata <c>ttlInSeconds</c>: a whole number of seconds, -1 for none; null when absent.
    /// Anything else is a 400 naming the value.
    /// </summary>
    public static TimeSpan? Ttl(string? text, string what)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds) || seconds < -1)
        {
            throw DaprErrors.Malformed($"{what}: metadata ttlInSeconds '{text}' is not a whole number of seconds (-1 for none)");
        }
        return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    /// <summary>daprd's key scheme <c>{prefix}||{key}</c> (<c>{key}</c> alone for keyPrefix none); a key holding the separator would escape it.</summary>
    public static string StoreKey(string? prefix, string key) =>
        key.Contains(StateKeys.Separator, StringComparison.Ordinal)
            ? throw DaprErrors.IllegalStateKey(key)
            : prefix is null ? key : StateKeys.ForApp(prefix, key);

    /// <summary>
    /// The store's <c>keyPrefix</c> metadata, as daprd applies it to every state store
    /// (https://docs.dapr.io/developing-applications/building-blocks/state-management/howto-share-state/):
    /// <c>appid</c> (the default), <c>name</c> (the store's name), <c>namespace</c> ({NAMESPACE}.{appid}), <c>none</c>
    /// (no prefix, null here), or any other text as the prefix itself. Actor state keys are never prefixed this way.
    /// </summary>
    private string? Prefix(string storeName, string appId)
    {
        var keyPrefix = components.StateStores.FirstOrDefault(c => c.Definition.Name == storeName)?.Definition.Metadata.GetValueOrDefault("keyPrefix");
        return keyPrefix?.Trim().ToLowerInvariant() switch
        {
            null or "" or "appid" => appId,
            "name" => storeName,
            "none" => null,
            "namespace" => Environment.GetEnvironmentVariable("NAMESPACE") is { Length: > 0 } ns ? $"{ns}.{appId}" : appId,
            _ => keyPrefix.Trim(),
        };
    }

    private async Task ApplyEachAsync(AppInstance caller, string storeName, IReadOnlyList<StateOperation> operations, string errorCode, string failure,
        CancellationToken cancellationToken)
    {
        var store = components.GetStateStore(storeName, caller.AppId);
        var prefix = Prefix(storeName, caller.AppId);
        var prefixed = operations.Select(o => o with { Key = StoreKey(prefix, o.Key) }).ToList();
        foreach (var operation in prefixed)
        {
            await Guard(() => store.ApplyAsync(operation, cancellationToken).AsTask(), errorCode, failure, etagInTransaction: false);
        }
    }

    private static async Task<T> Guard<T>(Func<Task<T>> action, string errorCode, string failure, bool etagInTransaction)
    {
        try
        {
            return await action();
        }
        catch (StateETagMismatchException error)
        {
            throw new DaprApiException(error.StatusCode, error.ErrorCode, $"{failure}: {error.Message}", error)
            {
                GrpcStatus = etagInTransaction ? Grpc.Core.StatusCode.Internal : Grpc.Core.StatusCode.Aborted,
                GrpcReason = errorCode,
            };
        }
        catch (StateETagInvalidException error)
        {
            throw new DaprApiException(error.StatusCode, error.ErrorCode, $"{failure}: {error.Message}", error)
            {
                GrpcStatus = etagInTransaction ? Grpc.Core.StatusCode.Internal : Grpc.Core.StatusCode.InvalidArgument,
                GrpcReason = errorCode,
            };
        }
        catch (Exception error) when (error is not DaprApiException and not OperationCanceledException)
        {
            throw DaprErrors.StateOperationFailed(errorCode, $"{failure}: {error.Message}", error);
        }
    }
}
