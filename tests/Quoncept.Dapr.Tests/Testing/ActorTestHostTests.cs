using Microsoft.Extensions.DependencyInjection;
using Quoncept.Dapr.Actors;
using Quoncept.Dapr.Testing;
using Quoncept.Dapr.Tests.Support;

namespace Quoncept.Dapr.Tests.Testing;

public sealed class ActorTestHostTests : IAsyncLifetime
{
    private readonly CallLog _log = new();
    private ActorTestHost _host = null!;

    public Task InitializeAsync()
    {
        _host = ActorTestHost.Create(o => o.Actors.Register<CounterActor>(), s => s.AddSingleton(_log));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ICounterActor Counter(string id) => _host.CreateProxy<ICounterActor>(id, "CounterActor");

    [Fact]
    public async Task Invoke_MethodSucceeds_StateSavedInOneTransaction()
    {
        Assert.Equal(5, await Counter("a").IncrementAsync(5));
        Assert.Equal(7, await Counter("a").IncrementAsync(2));
        Assert.Equal(7, _host.ActorState.Get<int>("CounterActor", "a", "count"));
        Assert.Equal(2, _host.ActorState.TransactionCount);
    }

    [Fact]
    public async Task Invoke_MethodThrows_ChangesDiscardedAndRemoteMessageSurfaced()
    {
        await Counter("a").IncrementAsync(3);
        var ex = await Assert.ThrowsAsync<ActorMethodInvocationException>(() => Counter("a").SetThenFailAsync(99));
        Assert.Equal("refusing 99", ex.Message);
        Assert.Equal("System.InvalidOperationException", ex.RemoteExceptionType);
        Assert.Equal(3, await Counter("a").GetAsync());
        Assert.False(_host.ActorState.Contains("CounterActor", "a", "other"));
    }

    [Fact]
    public async Task DeactivateAll_ThenCall_StateRebuiltFromStore()
    {
        await Counter("a").IncrementAsync(4);
        await _host.DeactivateAllAsync();
        Assert.False(_host.IsActive("CounterActor", "a"));
        var snapshot = await Counter("a").SnapshotAsync();
        Assert.Equal(4, snapshot.Value);
        Assert.Equal(1, snapshot.Activations);
        Assert.Equal(["activate a", "deactivate a", "activate a"], _log.Entries);
        Assert.False(_host.ActorState.Contains("CounterActor", "a", "deactivated"));
    }

    [Fact]
    public async Task TimeProvider_FollowsFakeClock()
    {
        var clock = (TimeProvider)_host.Services.GetService(typeof(TimeProvider))!;
        var start = clock.GetUtcNow();
        await _host.AdvanceTimeAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(start + TimeSpan.FromMinutes(5), clock.GetUtcNow());
        Assert.Equal(_host.Now, _host.TimeProvider.GetUtcNow());
    }

    [Fact]
    public async Task DaprClient_InMemoryState_EtagRules()
    {
        var dapr = _host.DaprClient;
        await dapr.SaveStateAsync("store", "k", 1);
        var (value, etag) = await dapr.GetStateAndETagAsync<int>("store", "k");
        Assert.Equal(1, value);
        Assert.True(await dapr.TrySaveStateAsync("store", "k", 2, etag));
        Assert.False(await dapr.TrySaveStateAsync("store", "k", 3, etag));
        Assert.True(_host.StateStore.TryGet<int>("store", "k", out var stored));
        Assert.Equal(2, stored);
    }

    [Fact]
    public async Task DaprClient_Invocation_AnsweredByHandlerOr501()
    {
        var ex = await Assert.ThrowsAsync<InvocationException>(() => _host.DaprClient.InvokeMethodAsync("other", "m"));
        Assert.Equal(System.Net.HttpStatusCode.NotImplemented, ex.StatusCode);
        _host.HandleInvocations((request, _) => Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("41") }));
        Assert.Equal(41, await _host.DaprClient.InvokeMethodAsync<int>("other", "m"));
    }

    [Fact]
    public async Task FireReminderAsync_RegisteredReminder_DeliveredWithState()
    {
        await Counter("a").RemindMeAsync(new ReminderRequest("grace", "p1", TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan));
        Assert.Single(_host.Reminders);
        await _host.FireReminderAsync("CounterActor", "a", "grace");
        Assert.Equal(["grace:p1"], (await Counter("a").SnapshotAsync()).Reminders);
        Assert.Empty(_host.Reminders);
    }

    [Fact]
    public async Task AdvanceTimeAsync_PeriodicReminderAndTimer_FireInDueOrder()
    {
        await Counter("a").RemindMeAsync(new ReminderRequest("r", "x", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)));
        await Counter("a").StartTimerAsync(TimeSpan.FromSeconds(15));
        await _host.AdvanceTimeAsync(TimeSpan.FromSeconds(31));
        var fired = _log.Entries.Where(e => !e.StartsWith("activate", StringComparison.Ordinal)).ToList();
        Assert.Equal(["remind a r", "tick a t", "remind a r", "remind a r", "tick a t"], fired);
        Assert.Equal(2, await Counter("a").GetAsync());
    }

    [Fact]
    public async Task Publish_FromActorAfterSave_Captured()
    {
        await Counter("a").IncrementAndPublishAsync(2);
        var published = Assert.Single(_host.PublishedTo("pubsub", "counted"));
        Assert.Equal(new Counted("a", 2), published.DataAs<Counted>());
    }

    [Fact]
    public async Task ActorCallsActor_ThroughInjectedProxyFactory_Works()
    {
        Assert.Equal(10, await Counter("a").AskOtherAsync("b"));
        Assert.Equal(10, _host.ActorState.Get<int>("CounterActor", "b", "count"));
    }

    [Fact]
    public async Task ActorCallsItself_FailsFastInsteadOfDeadlocking()
    {
        var ex = await Assert.ThrowsAsync<ActorMethodInvocationException>(() => Counter("a").CallSelfAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("ERR_ACTOR_REENTRANCY", ex.ErrorCode);
        Assert.Contains("CounterActor/a", ex.Message);
        Assert.Equal(1, await Counter("a").IncrementAsync(1)); // the actor is not stuck
    }

    [Fact]
    public async Task CallCycleBetweenActors_FailsFastWithChain()
    {
        var ex = await Assert.ThrowsAsync<ActorMethodInvocationException>(() => Counter("a").BounceAsync("b").WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("CounterActor/a -> CounterActor/b -> CounterActor/a", ex.Message);
    }

    [Fact]
    public async Task ActorTurn_RunsInCallersActivity()
    {
        using var source = new System.Diagnostics.ActivitySource("Quoncept.Dapr.Tests.Trace");
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        // First call activates the actor outside any activity; later turns must still see their own caller's trace.
        Assert.Null(await Counter("t").TraceIdAsync());
        using (var activity = source.StartActivity("caller"))
        {
            Assert.NotNull(activity);
            Assert.Equal(activity.TraceId.ToString(), await Counter("t").TraceIdAsync());
        }

        Assert.Null(await Counter("t").TraceIdAsync());
    }

    [Fact]
    public async Task FireReminderAsync_Unknown_ClearError()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => _host.FireReminderAsync("CounterActor", "a", "nope"));
        Assert.Contains("no reminder 'nope'", ex.Message);
    }
}
