using System.Text.Json;
using Dapr;
using Dapr.Client;
using Grpc.Core;
using Quoncept.Conformance.TestApp;
using Quoncept.Conformance.Tests.Harness;

namespace Quoncept.Conformance.Tests;

/// <summary>The state API through DaprClient (gRPC): etags, bulk operations, transactions, errors.</summary>
[Collection(nameof(SharedRuntimeCollection))]
public sealed class StateTests(SharedRuntime runtime)
{
    private const string Store = ComponentFiles.StateStore;

    private DaprClient Dapr => runtime.Client;

    private static string NewKey(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task SaveStateAsync_ThenGetStateAndETagAsync_ValueAndETag()
    {
        var key = NewKey("save");
        Assert.Null(await Dapr.GetStateAsync<LedgerEvent>(Store, key));

        await Dapr.SaveStateAsync(Store, key, new LedgerEvent("e", 1));
        var (value, etag) = await Dapr.GetStateAndETagAsync<LedgerEvent>(Store, key);

        Assert.Equal(new LedgerEvent("e", 1), value);
        Assert.False(string.IsNullOrEmpty(etag));
    }

    [Fact]
    public async Task TrySaveStateAsync_StaleETag_FalseAndValueKept()
    {
        var key = NewKey("etag");
        await Dapr.SaveStateAsync(Store, key, 1);
        var (_, first) = await Dapr.GetStateAndETagAsync<int>(Store, key);

        Assert.True(await Dapr.TrySaveStateAsync(Store, key, 2, first));
        Assert.False(await Dapr.TrySaveStateAsync(Store, key, 3, first));

        var (current, second) = await Dapr.GetStateAndETagAsync<int>(Store, key);
        Assert.Equal(2, current);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task TrySaveStateAsync_ETagForAbsentKey_FalseAndNothingSaved()
    {
        var key = NewKey("absent");
        await Dapr.SaveStateAsync(Store, key, 1);
        var (_, etag) = await Dapr.GetStateAndETagAsync<int>(Store, key);
        await Dapr.DeleteStateAsync(Store, key);

        Assert.False(await Dapr.TrySaveStateAsync(Store, key, 2, etag));
        Assert.Null(await Dapr.GetStateAsync<int?>(Store, key));
    }

    [Fact]
    public async Task TrySaveStateAsync_ETagTheStoreNeverIssued_FalseAndValueKept()
    {
        var key = NewKey("foreign-etag");
        await Dapr.SaveStateAsync(Store, key, 1);

        // daprd's state.sqlite issues UUID etags and compares, never parses: any other etag is just not the current one.
        Assert.False(await Dapr.TrySaveStateAsync(Store, key, 2, "not-an-etag-of-this-store"));
        Assert.False(await Dapr.TryDeleteStateAsync(Store, key, "not-an-etag-of-this-store"));

        Assert.Equal(1, await Dapr.GetStateAsync<int>(Store, key));
    }

    [Fact]
    public async Task SaveStateAsync_FirstWriteOnAnExistingKey_DaprExceptionAborted()
    {
        var key = NewKey("first-write");
        var firstWrite = new StateOptions { Concurrency = ConcurrencyMode.FirstWrite };
        await Dapr.SaveStateAsync(Store, key, 1, firstWrite);

        var error = await Assert.ThrowsAsync<DaprException>(() => Dapr.SaveStateAsync(Store, key, 2, firstWrite));

        Assert.Equal(StatusCode.Aborted, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        Assert.Equal(1, await Dapr.GetStateAsync<int>(Store, key));
    }

    [Fact]
    public async Task SaveStateAsync_WithTtlInSeconds_GoneOnceExpired()
    {
        var key = NewKey("ttl");

        await Dapr.SaveStateAsync(Store, key, 1, metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "1" });

        Assert.Equal(1, await Dapr.GetStateAsync<int>(Store, key));
        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int?>(Store, key) is null, "the value to expire");
    }

    [Fact]
    public async Task TryDeleteStateAsync_StaleETagThenCurrentETag_FalseThenDeleted()
    {
        var key = NewKey("delete");
        await Dapr.SaveStateAsync(Store, key, 1);
        var (_, first) = await Dapr.GetStateAndETagAsync<int>(Store, key);
        await Dapr.SaveStateAsync(Store, key, 2);
        var (_, second) = await Dapr.GetStateAndETagAsync<int>(Store, key);

        Assert.False(await Dapr.TryDeleteStateAsync(Store, key, first));
        Assert.Equal(2, await Dapr.GetStateAsync<int>(Store, key));
        Assert.True(await Dapr.TryDeleteStateAsync(Store, key, second));

        var (gone, etag) = await Dapr.GetStateAndETagAsync<int?>(Store, key);
        Assert.Null(gone);
        Assert.Equal("", etag);
    }

    [Fact]
    public async Task GetBulkStateAsync_SomeKeysMissing_ValuesByKeyAndNullForMissing()
    {
        var (a, b, missing) = (NewKey("bulk-a"), NewKey("bulk-b"), NewKey("bulk-missing"));
        await Dapr.SaveStateAsync(Store, a, new LedgerEvent("a", 1));
        await Dapr.SaveStateAsync(Store, b, new LedgerEvent("b", 2));

        var items = await Dapr.GetBulkStateAsync<LedgerEvent>(Store, [a, b, missing], parallelism: 2);

        Assert.Equal(3, items.Count);
        Assert.Equal(1, items.Single(i => i.Key == a).Value.Amount);
        Assert.Equal(2, items.Single(i => i.Key == b).Value.Amount);
        Assert.False(string.IsNullOrEmpty(items.Single(i => i.Key == a).ETag));
        Assert.Null(items.Single(i => i.Key == missing).Value);

        // The untyped overload hands back the stored JSON as the SDK serialized it (camelCase, Web defaults).
        var raw = await Dapr.GetBulkStateAsync(Store, [a], parallelism: null);
        using var document = JsonDocument.Parse(Assert.Single(raw).Value);
        Assert.Equal(1, document.RootElement.GetProperty("amount").GetInt32());
    }

    [Fact]
    public async Task SaveBulkStateAsync_ThenDeleteBulkStateAsync_AllSavedThenAllGone()
    {
        var keys = Enumerable.Range(0, 3).Select(i => NewKey($"many-{i}")).ToArray();
        // SaveStateItem's etag is a non-nullable string: "" is how an app says "none", and daprd's stores read it so.
        await Dapr.SaveBulkStateAsync(Store, keys.Select((key, i) => new SaveStateItem<int>(key, 10 + i, "")).ToList());

        var saved = await Dapr.GetBulkStateAsync<int>(Store, keys, parallelism: null);
        Assert.Equal([10, 11, 12], keys.Select(key => saved.Single(item => item.Key == key).Value));

        await Dapr.DeleteBulkStateAsync(Store, saved.Select(item => new BulkDeleteStateItem(item.Key, item.ETag)).ToList());

        var after = await Dapr.GetBulkStateAsync(Store, keys, parallelism: null);
        Assert.All(after, item => Assert.Equal("", item.Value));
    }

    [Fact]
    public async Task ExecuteStateTransactionAsync_UpsertsAndDelete_AllApplied()
    {
        var (a, b, doomed) = (NewKey("tx-a"), NewKey("tx-b"), NewKey("tx-doomed"));
        await Dapr.SaveStateAsync(Store, doomed, 1);

        await Dapr.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(a, JsonSerializer.SerializeToUtf8Bytes(1), StateOperationType.Upsert),
            new StateTransactionRequest(b, JsonSerializer.SerializeToUtf8Bytes(2), StateOperationType.Upsert),
            new StateTransactionRequest(doomed, null, StateOperationType.Delete),
        ]);

        Assert.Equal(1, await Dapr.GetStateAsync<int>(Store, a));
        Assert.Equal(2, await Dapr.GetStateAsync<int>(Store, b));
        Assert.Null(await Dapr.GetStateAsync<int?>(Store, doomed));
    }

    [Fact]
    public async Task ExecuteStateTransactionAsync_OneStaleETag_NothingApplied()
    {
        var (a, b) = (NewKey("tx-kept"), NewKey("tx-never"));
        await Dapr.SaveStateAsync(Store, a, 1);
        var (_, stale) = await Dapr.GetStateAndETagAsync<int>(Store, a);
        await Dapr.SaveStateAsync(Store, a, 2);

        var error = await Assert.ThrowsAsync<DaprException>(() => Dapr.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(b, JsonSerializer.SerializeToUtf8Bytes(3), StateOperationType.Upsert),
            new StateTransactionRequest(a, JsonSerializer.SerializeToUtf8Bytes(4), StateOperationType.Upsert, etag: stale),
        ]));

        // daprd answers an etag failure inside a transaction with INTERNAL (not ABORTED as for a single save).
        Assert.Equal(StatusCode.Internal, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        Assert.Null(await Dapr.GetStateAsync<int?>(Store, b));
        Assert.Equal(2, await Dapr.GetStateAsync<int>(Store, a));
    }

    [Fact]
    public async Task SaveStateAsync_UnknownStore_DaprExceptionInvalidArgumentNamingIt()
    {
        var error = await Assert.ThrowsAsync<DaprException>(() => Dapr.SaveStateAsync("no-such-store", "k", 1));

        var status = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("no-such-store", status.Status.Detail, StringComparison.Ordinal);
    }
}
