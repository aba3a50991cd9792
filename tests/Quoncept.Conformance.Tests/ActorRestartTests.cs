using Dapr.Actors;
using Dapr.Actors.Client;
using Quoncept.Conformance.TestApp;
using Quoncept.Conformance.Tests.Harness;

namespace Quoncept.Conformance.Tests;

/// <summary>
/// The app process killed with SIGKILL and started again behind the same runtime: actor state and reminders
/// live in the runtime's store, not in the app, so they outlive it.
/// </summary>
[Collection(nameof(SharedRuntimeCollection))]
public sealed class ActorRestartTests(SharedRuntime runtime)
{
    private static ActorId NewId() => new("ledger-" + Guid.NewGuid().ToString("N")[..10]);

    private ILedgerActor Ledger(ActorId id) => runtime.Proxies.CreateActorProxy<ILedgerActor>(id, RuntimePair.ActorType);

    [Fact]
    public async Task GetTotalAsync_AppKilledAndRestarted_StateSurvivesOnTheNewProcess()
    {
        var id = NewId();
        await Ledger(id).AddAsync(5);
        await Ledger(id).AddAsync(7);
        var before = await Ledger(id).ProcessIdAsync();

        runtime.KillApp();
        var after = await runtime.StartAppAsync();

        Assert.NotEqual(before, after);
        Assert.Equal(after, await Ledger(id).ProcessIdAsync());
        Assert.Equal(12, await Ledger(id).GetTotalAsync());
        Assert.Equal(13, await Ledger(id).AddAsync(1));
    }

    [Fact]
    public async Task RegisterReminderAsync_DueWhileTheAppIsDead_FiresAfterRestart()
    {
        var id = NewId();
        var due = TimeSpan.FromSeconds(1);
        await Ledger(id).ScheduleAsync("later", "survives", (int)due.TotalMilliseconds, periodMilliseconds: 0);
        var registered = DateTime.UtcNow;

        runtime.KillApp();
        // The app stays dead until after the reminder was due.
        var remaining = registered + due + TimeSpan.FromSeconds(1) - DateTime.UtcNow;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }
        await runtime.StartAppAsync();

        await runtime.EventuallyAsync(async () => (await Ledger(id).FiredAsync()).Contains("later:survives"),
            "the reminder to fire on the restarted app", TimeSpan.FromSeconds(30));
    }
}
