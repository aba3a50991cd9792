using Microsoft.Extensions.DependencyInjection;
using Quoncept.Dapr.Actors;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Testing;
using Quoncept.Dapr.Tests.Support;

namespace Quoncept.Dapr.Tests.Actors;

public interface ITwoArguments : IActor
{
    Task DoAsync(int a, int b);
}

public interface INotATask : IActor
{
    int Get();
}

public interface IOverloaded : IActor
{
    Task DoAsync(int a);

    Task DoAsync(string a);
}

public interface IRefParameter : IActor
{
    Task DoAsync(ref int a);
}

public sealed class ActorProxyTests : IAsyncLifetime
{
    private ActorTestHost _host = null!;

    public Task InitializeAsync()
    {
        _host = ActorTestHost.Create(o => o.Actors.Register<CounterActor>(), s => s.AddSingleton(new CallLog()));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(typeof(ITwoArguments), "at most one")]
    [InlineData(typeof(INotATask), "return Task or Task<T>")]
    [InlineData(typeof(IOverloaded), "unique")]
    [InlineData(typeof(IRefParameter), "ref/out")]
    public void CreateProxy_UnsupportedInterface_ExplainsRule(Type iface, string expected)
    {
        var create = typeof(IActorProxyFactory).GetMethod(nameof(IActorProxyFactory.CreateActorProxy))!.MakeGenericMethod(iface);
        var ex = Assert.Throws<System.Reflection.TargetInvocationException>(() => create.Invoke(_host.ProxyFactory, [new ActorId("x"), "CounterActor", null]));
        Assert.IsType<ArgumentException>(ex.InnerException);
        Assert.Contains(expected, ex.InnerException!.Message);
    }

    [Fact]
    public async Task TypedProxy_CancellationToken_CancelsQueuedCall()
    {
        var actor = _host.CreateProxy<ICounterActor>("a", "CounterActor");
        using var slowCts = new CancellationTokenSource();
        var slow = actor.SlowAsync(TimeSpan.FromSeconds(30), slowCts.Token);
        using var cts = new CancellationTokenSource();
        var queued = actor.EchoAsync("late", cts.Token);
        cts.Cancel();
        slowCts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued).WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("next", await actor.EchoAsync("next", CancellationToken.None));
    }

    [Fact]
    public async Task TypedProxy_CancellationToken_PassedIntoRunningMethod()
    {
        var actor = _host.CreateProxy<ICounterActor>("a", "CounterActor");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => actor.SlowAsync(TimeSpan.FromSeconds(30), cts.Token)).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task UntypedProxy_InvokeMethodAsync_SameDispatch()
    {
        var proxy = _host.ProxyFactory.Create(new ActorId("u"), "CounterActor");
        Assert.Equal(3, await proxy.InvokeMethodAsync<int, int>("IncrementAsync", 3));
        Assert.Equal(3, await proxy.InvokeMethodAsync<int>("GetAsync"));
        var ex = await Assert.ThrowsAsync<ActorMethodInvocationException>(() => proxy.InvokeMethodAsync("NoSuchMethod"));
        Assert.Equal("ERR_ACTOR_METHOD_NOT_FOUND", ex.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task TypedProxy_UnknownActorType_ClearError()
    {
        var ex = await Assert.ThrowsAsync<ActorMethodInvocationException>(() => _host.CreateProxy<ICounterActor>("a", "Nope").GetAsync());
        Assert.Equal("ERR_ACTOR_TYPE_NOT_FOUND", ex.ErrorCode);
        Assert.Contains("CounterActor", ex.Message);
    }

    [Fact]
    public async Task DaprClient_InvokeActorMethodAsync_InTestHost()
    {
        Assert.Equal(2, await _host.DaprClient.InvokeActorMethodAsync<int, int>("CounterActor", "d", "IncrementAsync", 2));
    }

    [Fact]
    public void TypedProxy_IsAnActorProxy()
    {
        var proxy = _host.CreateProxy<ICounterActor>("a", "CounterActor");
        var handle = Assert.IsAssignableFrom<ActorProxy>(proxy);
        Assert.Equal("a", handle.ActorId.GetId());
        Assert.Equal("CounterActor", handle.ActorType);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a/b")]
    [InlineData("a||b")]
    public void ActorId_Invalid_Rejected(string id) => Assert.Throws<ArgumentException>(() => new ActorId(id));

    [Fact]
    public void ActorId_EqualityByValue()
    {
        Assert.Equal(new ActorId("x"), new ActorId("x"));
        Assert.True(new ActorId("x") == new ActorId("x"));
        Assert.NotEqual(new ActorId("x"), new ActorId("X"));
    }
}
