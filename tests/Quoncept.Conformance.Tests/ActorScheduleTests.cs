using Dapr.Actors;
using Dapr.Actors.Client;
using Quoncept.Conformance.TestApp;
using Quoncept.Conformance.Tests.Harness;

namespace Quoncept.Conformance.Tests;

/// <summary>
/// Reminders and timers registered by the actor itself (<c>RegisterReminderAsync</c>, <c>RegisterTimerAsync</c>);
/// each firing is appended to the actor's state, which the test reads through the proxy.
/// </summary>
[Collection(nameof(SharedRuntimeCollection))]
public sealed class ActorScheduleTests(SharedRuntime runtime)
{
    // Long enough for a few more periods of the timers and reminders below, to show that none came.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1.2);

    private static ActorId NewId() => new("ledger-" + Guid.NewGuid().ToString("N")[..10]);

    private ILedgerActor Ledger(ActorId id) => runtime.Proxies.CreateActorProxy<ILedgerActor>(id, RuntimePair.ActorType);

    [Fact]
    public async Task RegisterReminderAsync_OneShot_FiresOnceWithItsData()
    {
        var id = NewId();

        await Ledger(id).ScheduleAsync("once", "payload-1", dueMilliseconds: 300, periodMilliseconds: 0);

        await runtime.EventuallyAsync(async () => (await Ledger(id).FiredAsync()).Length > 0, "the one-shot reminder to fire");
        await Task.Delay(QuietPeriod);
        Assert.Equal(["once:payload-1"], await Ledger(id).FiredAsync());
    }

    [Fact]
    public async Task RegisterReminderAsync_Periodic_FiresRepeatedlyWithItsDataUntilUnregistered()
    {
        var id = NewId();

        await Ledger(id).ScheduleAsync("every", "p", dueMilliseconds: 100, periodMilliseconds: 250);
        await runtime.EventuallyAsync(async () => (await Ledger(id).FiredAsync()).Length >= 3, "three firings of the periodic reminder");
        await Ledger(id).CancelReminderAsync("every");

        var fired = await Ledger(id).FiredAsync();
        Assert.All(fired, firing => Assert.Equal("every:p", firing));
        await Task.Delay(QuietPeriod);
        // One firing may already have been on its way when the reminder was unregistered.
        Assert.InRange((await Ledger(id).FiredAsync()).Length, fired.Length, fired.Length + 1);
    }

    [Fact]
    public async Task RegisterReminderAsync_WithRepetitions_FiresExactlyThatManyTimes()
    {
        var id = NewId();

        await Ledger(id).ScheduleRepeatedAsync("thrice", "r", periodSeconds: 1, repetitions: 3);

        await runtime.EventuallyAsync(async () => (await Ledger(id).FiredAsync()).Length >= 3, "three firings");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(["thrice:r", "thrice:r", "thrice:r"], await Ledger(id).FiredAsync());
    }

    [Fact]
    public async Task GetReminderAsync_Registered_DueTimePeriodAndDataReadBack()
    {
        var id = NewId();
        await Ledger(id).ScheduleAsync("described", "some data", dueMilliseconds: 3_600_000, periodMilliseconds: 7_200_000);

        var described = await Ledger(id).DescribeReminderAsync("described");

        Assert.Equal($"{TimeSpan.FromHours(1)}|{TimeSpan.FromHours(2)}|some data", described);
        await Ledger(id).CancelReminderAsync("described");
    }

    [Fact]
    public async Task RegisterReminderAsync_TwoReminders_EachFiresWithItsOwnData()
    {
        var id = NewId();

        await Ledger(id).ScheduleAsync("first", "one", dueMilliseconds: 200, periodMilliseconds: 0);
        await Ledger(id).ScheduleAsync("second", "two", dueMilliseconds: 200, periodMilliseconds: 0);

        await runtime.EventuallyAsync(async () => (await Ledger(id).FiredAsync()).Length >= 2, "both reminders to fire");
        Assert.Equal(["first:one", "second:two"], (await Ledger(id).FiredAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UnregisterReminderAsync_BeforeDue_NeverFires()
    {
        var id = NewId();

        // Due well after the cancel: on a loaded CI machine two actor calls have taken longer than 800 ms, and a
        // reminder due before its cancel arrives rightly fires.
        await Ledger(id).ScheduleAsync("cancelled", "x", dueMilliseconds: 3000, periodMilliseconds: 0);
        await Ledger(id).CancelReminderAsync("cancelled");
        await Ledger(id).ScheduleAsync("witness", "y", dueMilliseconds: 3500, periodMilliseconds: 0);

        // The witness is due after the cancelled one would have been; once it fired, the cancelled one had its chance.
        await runtime.EventuallyAsync(async () => (await Ledger(id).FiredAsync()).Length > 0, "the witness reminder to fire");
        Assert.Equal(["witness:y"], await Ledger(id).FiredAsync());
    }

    [Fact]
    public async Task RegisterTimerAsync_FiresWithItsState_ThenStopsWhenUnregistered()
    {
        var id = NewId();

        await Ledger(id).StartTimerAsync(200, "tick-state");
        await runtime.EventuallyAsync(async () => await Ledger(id).TicksAsync() >= 2, "two timer ticks");
        await Ledger(id).StopTimerAsync();
        Assert.Equal("tick-state", await Ledger(id).TickPayloadAsync());

        var ticks = await Ledger(id).TicksAsync();
        await Task.Delay(QuietPeriod);
        Assert.InRange(await Ledger(id).TicksAsync(), ticks, ticks + 1);
    }
}
