using Quoncept.Dapr.Testing;
using Quoncept.Dapr.Tests.Support;

namespace Quoncept.Dapr.Tests.Actors;

public sealed class MailboxTests
{
    [Fact]
    public async Task Invoke_1000ConcurrentCalls_NeverOverlap()
    {
        await using var host = ActorTestHost.Create(o => o.Actors.Register<MailboxActor>());
        var actor = host.CreateProxy<IMailboxActor>("m", "MailboxActor");

        var calls = Enumerable.Range(0, 1000).Select(i => Task.Run(() => actor.EnterAsync(i))).ToList();
        var overlapped = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.DoesNotContain(true, overlapped);
        Assert.Equal(Enumerable.Range(0, 1000), (await actor.SeenAsync()).Order());
    }

    [Fact]
    public async Task Invoke_CallsIssuedInOrder_RunInOrder()
    {
        // Smaller mailbox than the burst, so later callers wait for room and must still keep their order.
        await using var host = ActorTestHost.Create(o =>
        {
            o.Actors.Register<MailboxActor>();
            o.MailboxCapacity = 16;
        });
        var actor = host.CreateProxy<IMailboxActor>("m", "MailboxActor");
        var runtime = host.Services.GetService(typeof(Quoncept.Dapr.Actors.Runtime.ActorRuntime)) as Quoncept.Dapr.Actors.Runtime.ActorRuntime;
        Assert.NotNull(runtime);

        // Enqueue straight into the runtime from one thread: arrival order is the loop order.
        var calls = Enumerable.Range(0, 500)
            .Select(i => runtime.InvokeMethodAsync("MailboxActor", "m", "EnterAsync", System.Text.Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None))
            .ToList();
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, 500), await actor.SeenAsync());
    }

    [Fact]
    public async Task Invoke_DifferentActors_RunConcurrently()
    {
        await using var host = ActorTestHost.Create(o => o.Actors.Register<CounterActor>(), s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(s, new CallLog()));
        var slow = host.CreateProxy<ICounterActor>("slow", "CounterActor");
        var fast = host.CreateProxy<ICounterActor>("fast", "CounterActor");
        using var cts = new CancellationTokenSource();
        var blocked = slow.SlowAsync(TimeSpan.FromSeconds(30), cts.Token);

        // "fast" answers while "slow" is still inside its turn.
        Assert.Equal("hi", await fast.EchoAsync("hi", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(blocked.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);
    }

    [Fact]
    public async Task Deactivate_WithQueuedCalls_QueuedCallsFinishFirstThenFreshActivation()
    {
        var log = new CallLog();
        await using var host = ActorTestHost.Create(o => o.Actors.Register<CounterActor>(), s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(s, log));
        var actor = host.CreateProxy<ICounterActor>("a", "CounterActor");
        var before = Enumerable.Range(0, 20).Select(_ => actor.IncrementAsync(1)).ToList();
        var deactivation = host.DeactivateAsync("CounterActor", "a");
        var after = Enumerable.Range(0, 20).Select(_ => actor.IncrementAsync(1)).ToList();
        await Task.WhenAll(before.Concat(after).Append(deactivation)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(40, await actor.GetAsync());
        Assert.Contains("deactivate a", log.Entries);
    }
}
