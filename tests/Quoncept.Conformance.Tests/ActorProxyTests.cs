using Dapr;
using Dapr.Actors;
using Dapr.Actors.Client;
using Quoncept.Conformance.TestApp;
using Quoncept.Conformance.Tests.Harness;

namespace Quoncept.Conformance.Tests;

/// <summary>
/// Actor calls through the runtime to <c>LedgerActor</c> in the app process: the remoting proxy (the SDK's default
/// DataContract serializer), the untyped JSON proxy, errors thrown by the actor, and turn-based concurrency.
/// </summary>
[Collection(nameof(SharedRuntimeCollection))]
public sealed class ActorProxyTests(SharedRuntime runtime)
{
    private static ActorId NewId() => new("ledger-" + Guid.NewGuid().ToString("N")[..10]);

    private ILedgerActor Ledger(ActorId id) => runtime.Proxies.CreateActorProxy<ILedgerActor>(id, RuntimePair.ActorType);

    [Fact]
    public async Task CreateActorProxy_AddThenGetTotal_StateKeptBetweenCalls()
    {
        var id = NewId();

        Assert.Equal(5, await Ledger(id).AddAsync(5));
        Assert.Equal(12, await Ledger(id).AddAsync(7));

        Assert.Equal(12, await Ledger(id).GetTotalAsync());
    }

    [Fact]
    public async Task ActorProxyCreate_StaticFactoryWithOptions_SameActorSameState()
    {
        var id = NewId();
        await Ledger(id).AddAsync(3);

        var proxy = ActorProxy.Create<ILedgerActor>(id, RuntimePair.ActorType, runtime.ProxyOptions(runtime.ApiToken));

        Assert.Equal(3, await proxy.GetTotalAsync());
    }

    [Fact]
    public async Task InvokeMethodAsync_JsonProxyByMethodName_SharesStateWithRemoting()
    {
        var id = NewId();
        var proxy = ActorProxy.Create(id, RuntimePair.ActorType, runtime.ProxyOptions(runtime.ApiToken));

        Assert.Equal(4, await proxy.InvokeMethodAsync<int, int>(nameof(ILedgerActor.AddAsync), 4));
        Assert.Equal(10, await Ledger(id).AddAsync(6));

        Assert.Equal(10, await proxy.InvokeMethodAsync<int>(nameof(ILedgerActor.GetTotalAsync)));
    }

    [Fact]
    public async Task FailAsync_RemotingProxy_CallerSeesTheExceptionAndStateIsUnchanged()
    {
        var id = NewId();
        await Ledger(id).AddAsync(3);

        var error = await Assert.ThrowsAsync<ActorMethodInvocationException>(() => Ledger(id).FailAsync("not today"));

        var remote = Assert.IsType<ActorInvokeException>(error.InnerException);
        Assert.Equal(typeof(InvalidOperationException).FullName, remote.ActualExceptionType);
        Assert.Contains("not today", remote.Message, StringComparison.Ordinal);
        Assert.Equal(3, await Ledger(id).GetTotalAsync());
    }

    [Fact]
    public async Task FailAsync_JsonProxy_ActorInvokeMethodErrorAndStateIsUnchanged()
    {
        var id = NewId();
        var proxy = ActorProxy.Create(id, RuntimePair.ActorType, runtime.ProxyOptions(runtime.ApiToken));
        await proxy.InvokeMethodAsync<int, int>(nameof(ILedgerActor.AddAsync), 3);

        // Without remoting the app answers a bare 500, which daprd turns into its own error: the message stays in the app.
        var error = await Assert.ThrowsAsync<DaprApiException>(() => proxy.InvokeMethodAsync(nameof(ILedgerActor.FailAsync), "not today"));

        Assert.Equal("ERR_ACTOR_INVOKE_METHOD", error.ErrorCode);
        Assert.Equal(3, await proxy.InvokeMethodAsync<int>(nameof(ILedgerActor.GetTotalAsync)));
    }

    [Fact]
    public async Task CommitThenFailAsync_StateSavedExplicitlyBeforeTheThrow_Kept()
    {
        var id = NewId();
        await Ledger(id).AddAsync(3);

        await Assert.ThrowsAsync<ActorMethodInvocationException>(() => Ledger(id).CommitThenFailAsync(4));

        Assert.Equal(7, await Ledger(id).GetTotalAsync());
    }

    [Fact]
    public async Task TransferAsync_ActorCallsAnotherActorThroughTheSidecar_BothLedgersChange()
    {
        var (from, to) = (NewId(), NewId());
        await Ledger(from).AddAsync(10);

        Assert.Equal(6, await Ledger(from).TransferAsync(to.GetId(), 4));

        Assert.Equal(4, await Ledger(to).GetTotalAsync());
    }

    [Fact]
    public async Task InvokeMethodAsync_ActorTypeNobodyHosts_DaprApiExceptionFromTheRuntime()
    {
        var proxy = ActorProxy.Create(NewId(), "NoSuchActor", runtime.ProxyOptions(runtime.ApiToken));

        var error = await Assert.ThrowsAsync<DaprApiException>(() => proxy.InvokeMethodAsync<int>(nameof(ILedgerActor.GetTotalAsync)));

        Assert.Equal("ERR_ACTOR_INVOKE_METHOD", error.ErrorCode);
    }

    [Fact]
    public async Task OverlapAsync_ConcurrentCallsToOneActor_NeverOverlap()
    {
        var id = NewId();

        // Reentrancy is off (the SDK's default): the runtime hands the actor one call at a time.
        var seen = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Ledger(id).OverlapAsync(150)));

        Assert.All(seen, running => Assert.Equal(1, running));
    }
}
