using Dapr;
using Dapr.Client;
using Grpc.Core;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>The state API over gRPC, called with the official Dapr.Client as an app calls it.</summary>
public sealed class GrpcStateTests : IAsyncLifetime
{
    private TestSidecar _sidecar = null!;
    private DaprClient _dapr = null!;

    public async Task InitializeAsync()
    {
        _sidecar = await TestSidecar.StartAsync("shop");
        _dapr = SdkClients.Dapr(_sidecar.Runtime.Apps.All[0]);
    }

    public async Task DisposeAsync()
    {
        _dapr.Dispose();
        await _sidecar.DisposeAsync();
    }

    private sealed record Ship(string Name, int Hp);

    [Fact]
    public async Task SaveThenGet_ValueAndETagRoundTrip()
    {
        await _dapr.SaveStateAsync("statestore", "ship-1", new Ship("Rifter", 40));

        var (ship, etag) = await _dapr.GetStateAndETagAsync<Ship>("statestore", "ship-1");

        Assert.Equal(new Ship("Rifter", 40), ship);
        Assert.False(string.IsNullOrEmpty(etag));
        // The same bytes are visible through the HTTP API, under the same app key.
        Assert.Equal("""{"name":"Rifter","hp":40}""", await _sidecar.Client.GetStringAsync("v1.0/state/statestore/ship-1"));
    }

    [Fact]
    public async Task GetState_AbsentKey_ReturnsDefaultAndEmptyETag()
    {
        var (ship, etag) = await _dapr.GetStateAndETagAsync<Ship>("statestore", "nobody");

        Assert.Null(ship);
        Assert.Equal("", etag);
    }

    [Fact]
    public async Task TrySaveState_StaleETag_ReturnsFalseAndKeepsValue()
    {
        await _dapr.SaveStateAsync("statestore", "versioned", "v1");
        var (_, first) = await _dapr.GetStateAndETagAsync<string>("statestore", "versioned");
        Assert.True(await _dapr.TrySaveStateAsync("statestore", "versioned", "v2", first));

        Assert.False(await _dapr.TrySaveStateAsync("statestore", "versioned", "v3", first));
        Assert.Equal("v2", await _dapr.GetStateAsync<string>("statestore", "versioned"));
    }

    [Fact]
    public async Task TryDeleteState_StaleETag_ReturnsFalse_CurrentETag_Deletes()
    {
        await _dapr.SaveStateAsync("statestore", "doomed", 1);
        var (_, first) = await _dapr.GetStateAndETagAsync<int>("statestore", "doomed");
        await _dapr.SaveStateAsync("statestore", "doomed", 2);
        var (_, second) = await _dapr.GetStateAndETagAsync<int>("statestore", "doomed");

        Assert.False(await _dapr.TryDeleteStateAsync("statestore", "doomed", first));
        Assert.True(await _dapr.TryDeleteStateAsync("statestore", "doomed", second));
        Assert.Equal(0, await _dapr.GetStateAsync<int>("statestore", "doomed"));
    }

    [Fact]
    public async Task SaveState_StaleETagWithoutTry_AbortedWithSaveErrorInfo()
    {
        await _dapr.SaveStateAsync("statestore", "strict", "v1");

        var error = await Assert.ThrowsAsync<DaprException>(() =>
            _dapr.SaveStateAsync("statestore", "strict", "v2", new StateOptions { Concurrency = ConcurrencyMode.FirstWrite }));

        GrpcAssert.HasStatus(error, StatusCode.Aborted);
        Assert.Equal("ERR_STATE_SAVE", GrpcAssert.ErrorInfo(error).Reason);
    }

    [Fact]
    public async Task TrySaveState_ETagTheStoreNeverIssued_FalseAsAMismatch()
    {
        await _dapr.SaveStateAsync("statestore", "numbered", "v1");

        // daprd's state stores compare etags, never parse them: ABORTED, which TrySaveStateAsync reports as false.
        Assert.False(await _dapr.TrySaveStateAsync("statestore", "numbered", "v2", "not-a-number"));
        Assert.Equal("v1", await _dapr.GetStateAsync<string>("statestore", "numbered"));
    }

    [Fact]
    public async Task GetState_UnknownStore_InvalidArgumentWithDaprdMessage()
    {
        var error = await Assert.ThrowsAsync<DaprException>(() => _dapr.GetStateAsync<string>("nosuchstore", "k"));

        var status = GrpcAssert.HasStatus(error, StatusCode.InvalidArgument);
        Assert.Equal("state store nosuchstore is not found", status.Status.Detail);
        Assert.Equal("DAPR_STATE_NOT_FOUND", GrpcAssert.ErrorInfo(error).Reason);
    }

    [Fact]
    public async Task SaveState_KeyWithSeparator_InvalidArgumentIllegalKey()
    {
        var error = await Assert.ThrowsAsync<DaprException>(() => _dapr.SaveStateAsync("statestore", "a||b", 1));

        GrpcAssert.HasStatus(error, StatusCode.InvalidArgument);
        Assert.Equal("DAPR_STATE_ILLEGAL_KEY", GrpcAssert.ErrorInfo(error).Reason);
    }

    [Fact]
    public async Task BulkGetAndDeleteBulk_EveryKeyAnswered_DeletedKeysGone()
    {
        await _dapr.SaveBulkStateAsync("statestore", [
            new SaveStateItem<int>("b-1", 1, ""),
            new SaveStateItem<int>("b-2", 2, ""),
        ]);

        var items = await _dapr.GetBulkStateAsync("statestore", ["b-1", "b-2", "b-missing"], parallelism: 2);
        var byKey = items.ToDictionary(i => i.Key);
        Assert.Equal("1", byKey["b-1"].Value);
        Assert.Equal("2", byKey["b-2"].Value);
        Assert.False(string.IsNullOrEmpty(byKey["b-1"].ETag));
        Assert.Equal("", byKey["b-missing"].Value);

        await _dapr.DeleteBulkStateAsync("statestore", [new BulkDeleteStateItem("b-1", byKey["b-1"].ETag), new BulkDeleteStateItem("b-2", "")]);
        Assert.Equal(0, await _dapr.GetStateAsync<int>("statestore", "b-1"));
        Assert.Equal(0, await _dapr.GetStateAsync<int>("statestore", "b-2"));
    }

    [Fact]
    public async Task ExecuteStateTransaction_AppliesUpsertsAndDeletes()
    {
        await _dapr.SaveStateAsync("statestore", "tx-old", "gone soon");

        await _dapr.ExecuteStateTransactionAsync("statestore", [
            new StateTransactionRequest("tx-new", "\"fresh\""u8.ToArray(), StateOperationType.Upsert),
            new StateTransactionRequest("tx-old", [], StateOperationType.Delete),
        ]);

        Assert.Equal("fresh", await _dapr.GetStateAsync<string>("statestore", "tx-new"));
        Assert.Null(await _dapr.GetStateAsync<string>("statestore", "tx-old"));
    }

    [Fact]
    public async Task ExecuteStateTransaction_StaleETag_InternalAsDaprdAndAppliesNothing()
    {
        await _dapr.SaveStateAsync("statestore", "tx-a", "old");

        var error = await Assert.ThrowsAsync<DaprException>(() => _dapr.ExecuteStateTransactionAsync("statestore", [
            new StateTransactionRequest("tx-b", "\"new\""u8.ToArray(), StateOperationType.Upsert),
            new StateTransactionRequest("tx-a", "\"new\""u8.ToArray(), StateOperationType.Upsert, etag: "424242"),
        ]));

        // daprd's ExecuteStateTransaction reports every store failure, an etag mismatch included, as INTERNAL.
        var status = GrpcAssert.HasStatus(error, StatusCode.Internal);
        Assert.StartsWith("error while executing state transaction: ", status.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("ERR_STATE_TRANSACTION", GrpcAssert.ErrorInfo(error).Reason);
        Assert.Null(await _dapr.GetStateAsync<string>("statestore", "tx-b"));
        Assert.Equal("old", await _dapr.GetStateAsync<string>("statestore", "tx-a"));
    }

    [Fact]
    public async Task SaveState_TtlMetadata_AcceptedAndBadTtlIsInvalidArgument()
    {
        await _dapr.SaveStateAsync("statestore", "short-lived", "x", metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "1" });
        Assert.Equal("x", await _dapr.GetStateAsync<string>("statestore", "short-lived"));

        var error = await Assert.ThrowsAsync<DaprException>(() =>
            _dapr.SaveStateAsync("statestore", "bad-ttl", "x", metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "soon" }));
        GrpcAssert.HasStatus(error, StatusCode.InvalidArgument);
    }
}
