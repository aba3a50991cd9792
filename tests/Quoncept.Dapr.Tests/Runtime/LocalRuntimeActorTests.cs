using Quoncept.Dapr.Actors;
using Quoncept.Dapr.TestApp;

namespace Quoncept.Dapr.Tests.Runtime;

/// <summary>Actors hosted by a real app process behind the local runtime: state across a killed host, errors, reminders, timers.</summary>
[Collection(nameof(LocalRuntimeCollection))]
public sealed class LocalRuntimeActorTests(LocalRuntime runtime)
{
    private ILedgerActor Ledger(string id) => runtime.Proxies.CreateActorProxy<ILedgerActor>(new ActorId(id), "LedgerActor");

    private static string NewId() => "l-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task ActorState_HostProcessKilledAndRestarted_Survives()
    {
        var id = NewId();
        Assert.Equal(5, await Ledger(id).AddAsync(5));
        Assert.Equal(12, await Ledger(id).AddAsync(7));
        var before = await Ledger(id).ProcessIdAsync();

        runtime.KillApp();
        var after = await runtime.StartAppAsync();

        Assert.NotEqual(before, after);
        Assert.Equal(after, await Ledger(id).ProcessIdAsync());
        Assert.Equal(12, await Ledger(id).GetTotalAsync());
        Assert.Equal(13, await Ledger(id).AddAsync(1));
    }

    [Fact]
    public async Task ActorMethod_Throws_RemoteMessageAndStateUnchanged()
    {
        var id = NewId();
        await Ledger(id).AddAsync(3);
        var ex = await Assert.ThrowsAsync<ActorMethodInvocationException>(() => Ledger(id).FailAsync("not today"));
        Assert.Equal("not today", ex.Message);
        Assert.Equal("System.InvalidOperationException", ex.RemoteExceptionType);
        Assert.Equal(3, await Ledger(id).GetTotalAsync());
    }

    [Fact]
    public async Task ActorCall_ThroughDaprClient_Works()
    {
        var id = NewId();
        Assert.Equal(4, await runtime.Client.InvokeActorMethodAsync<int, int>("LedgerActor", id, "AddAsync", 4));
    }

    [Fact]
    public async Task Reminder_OneShot_FiresWithItsData()
    {
        var id = NewId();
        await Ledger(id).ScheduleAsync(new ReminderSpec("once", "payload-1", TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan));
        await runtime.EventuallyAsync(async () => (await Ledger(id).FiredAsync()).Contains("once:payload-1"), "the one-shot reminder to fire");
        await Task.Delay(1500);
        Assert.Equal(["once:payload-1"], await Ledger(id).FiredAsync());
    }

    [Fact]
    public async Task Reminder_Periodic_FiresRepeatedlyUntilUnregistered()
    {
        var id = NewId();
        await Ledger(id).ScheduleAsync(new ReminderSpec("tick", "p", TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300)));
        await runtime.EventuallyAsync(async () => (await Ledger(id).FiredAsync()).Count >= 3, "three periodic reminder firings");
        await Ledger(id).CancelReminderAsync("tick");
        var count = (await Ledger(id).FiredAsync()).Count;
        await Task.Delay(1200);
        Assert.InRange((await Ledger(id).FiredAsync()).Count, count, count + 1); // at most one already in flight
    }

    [Fact]
    public async Task Reminder_HostKilledBeforeDue_FiresOnRestartedHost()
    {
        var id = NewId();
        await Ledger(id).ScheduleAsync(new ReminderSpec("later", "survives", TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan));
        runtime.KillApp();
        await runtime.StartAppAsync();
        await runtime.EventuallyAsync(async () => (await Ledger(id).FiredAsync()).Contains("later:survives"), "the reminder to fire on the restarted host", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Timer_Fires_ThenStops()
    {
        var id = NewId();
        await Ledger(id).StartTimerAsync(TimeSpan.FromMilliseconds(200));
        await runtime.EventuallyAsync(async () => await Ledger(id).TicksAsync() >= 2, "two timer ticks");
        await Ledger(id).StopTimerAsync();
        var ticks = await Ledger(id).TicksAsync();
        await Task.Delay(1000);
        Assert.InRange(await Ledger(id).TicksAsync(), ticks, ticks + 1);
    }
}
