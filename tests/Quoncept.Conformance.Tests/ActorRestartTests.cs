using System.Globalization;
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
    public async Task CheckHealthAsync_AppKilled_SidecarStaysHealthyAndWaitReturns()
    {
        runtime.KillApp();
        try
        {
            // Long enough for the sidecar to have declared the app unhealthy, by its own health-check settings.
            await Task.Delay(await HealthCheckTimeAsync());

            // daprd's /v1.0/healthz turns ready once the app first answered and stays so; an app that restarts calls
            // WaitForSidecarAsync (healthz/outbound) before it listens, so that must not wait for the app either.
            Assert.True(await runtime.Client.CheckHealthAsync());
            Assert.True(await runtime.Client.CheckOutboundHealthAsync());
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await runtime.Client.WaitForSidecarAsync(deadline.Token);
        }
        finally
        {
            await runtime.StartAppAsync();
        }
    }

    /// <summary>How long the sidecar's app health checks take to declare a dead app unhealthy, from its metadata.</summary>
    private async Task<TimeSpan> HealthCheckTimeAsync()
    {
        var health = (await runtime.GetProtoMetadataAsync()).AppConnectionProperties.Health;
        return health.HealthThreshold * GoDuration(health.HealthProbeInterval) + GoDuration(health.HealthProbeTimeout);
    }

    /// <summary>The durations daprd writes in its metadata (Go's <c>time.Duration</c>: <c>1s</c>, <c>500ms</c>).</summary>
    private static TimeSpan GoDuration(string text) => text.EndsWith("ms", StringComparison.Ordinal)
        ? TimeSpan.FromMilliseconds(int.Parse(text[..^2], CultureInfo.InvariantCulture))
        : TimeSpan.FromSeconds(int.Parse(text[..^1], CultureInfo.InvariantCulture));

    [Fact]
    public async Task RegisterReminderAsync_DueWhileTheAppIsKnownDead_FiresAfterRestart()
    {
        // Due only once the sidecar has had the time its health checks take to declare the app gone. A reminder that
        // comes due in the moments before, while the app is still thought alive, is a failed call: daprd leaves it to
        // the job's failure policy (a few retries), this runtime retries it twice, and either may skip that firing.
        var detection = await HealthCheckTimeAsync();
        var due = detection + TimeSpan.FromSeconds(2);
        var id = NewId();
        await Ledger(id).ScheduleAsync("later", "survives", (int)due.TotalMilliseconds, periodMilliseconds: 0);
        var registered = DateTime.UtcNow;

        runtime.KillApp();
        await runtime.EventuallyAsync(async () => !(await runtime.GetProtoMetadataAsync()).ActorRuntime.HostReady,
            "the sidecar to report its actor host gone (metadata actorRuntime.hostReady false)");
        var remaining = registered + due + TimeSpan.FromSeconds(1) - DateTime.UtcNow;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }
        await runtime.StartAppAsync();

        await runtime.EventuallyAsync(async () => (await Ledger(id).FiredAsync()).Contains("later:survives"),
            "the reminder to fire on the restarted app", TimeSpan.FromSeconds(30));
        Assert.Equal(["later:survives"], await Ledger(id).FiredAsync());
    }
}
