using System.Diagnostics;
using Quoncept.Client;
using Quoncept.Faults.Universe;

namespace Quoncept.Faults.Faults;

/// <summary>
/// <c>faults --rolling</c>: the system with two gateway replicas under the steady load of players that rely on the
/// client library alone (retries with the same request id, resuming through the other gateway), while every process
/// is restarted with SIGTERM, one at a time: each service (its actors are placed again on its new process) and each
/// gateway replica (its clients are told <c>Terminate{shutdown}</c> and resume on the other one). Each one is back
/// (a new process, placed again as an actor host, its actors serving, every gateway ready) before the next; with
/// <c>--service-replicas 2</c> each service runs two processes, restarted in turn. The runtime itself is not in
/// the roll: it is the sidecar of every app at once and their parent, so its restart stops both gateways and every
/// service together: an outage, which <c>faults --targets runtime</c> measures.
/// </summary>
internal sealed class RollingRun(FaultSettings settings, TextWriter output)
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan BackTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(60);

    public async Task<RollingReport> RunAsync(CancellationToken cancellationToken)
    {
        var ledger = new FaultLedger { GracePeriod = settings.GracePeriod };
        await using var servers = settings.Profile is { } profile ? await ProfileServerSet.StartAsync(profile, output, cancellationToken).ConfigureAwait(false) : null;
        var options = UniverseOptions.For(settings, servers, output);
        await using var universe = new LocalUniverse(options);
        await output.WriteLineAsync($"starting the system (2 gateways, {options.Describe()}) ...").ConfigureAwait(false);
        await universe.StartAsync(cancellationToken).ConfigureAwait(false);
        var gateways = universe.Gateways.Select(g => new QuonceptClient(g)).ToArray();
        var players = new List<RollingPlayer>();
        var restarts = new List<RestartRecord>();
        try
        {
            var users = UserPool.Neighbours(settings.Clients);
            var home = users[0].HomeSystemId;
            var away = (await gateways[0].GetSystemAsync(home, cancellationToken).ConfigureAwait(false)).Neighbours[0].Id;
            var probe = new RecoveryProbe(gateways, UserPool.Other(users).Username, users[0].CharacterId, home);
            players.AddRange(users.Select((u, i) => new RollingPlayer(u, gateways, i % gateways.Length, away, ledger)));
            await output.WriteLineAsync($"logging in {players.Count} players (all start in {home}, jumping to {away} and back, chatting every ~{settings.Interval.TotalMilliseconds:0} ms) ...").ConfigureAwait(false);
            await Task.WhenAll(players.Select(p => p.LogInAsync(cancellationToken))).ConfigureAwait(false);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var playing = players.Select(p => p.PlayAsync(settings.Interval, stop.Token, hardStop.Token)).ToArray();
            await Task.Delay(Warmup, cancellationToken).ConfigureAwait(false);

            foreach (var instance in settings.Targets)
            {
                var restart = await RestartAsync(universe, probe, instance, cancellationToken).ConfigureAwait(false);
                restarts.Add(restart);
                await output.WriteLineAsync($"           {restart.Describe()}").ConfigureAwait(false);
                if (restart.Back is null) break;
                await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            }

            await output.WriteLineAsync("roll over: finishing the requests under way, then checking every ledger ...").ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            hardStop.CancelAfter(FinishTimeout);
            await Task.WhenAll(playing).ConfigureAwait(false);
            await LedgerCheck.RunAsync(players, ledger, hardStop.Token).ConfigureAwait(false);
        }
        finally
        {
            ledger.Closing = true;
            await Task.WhenAll(players.Select(p => p.CloseAsync())).ConfigureAwait(false);
            foreach (var gateway in gateways) gateway.Dispose();
        }
        foreach (var restart in restarts) restart.Latencies = ledger.LatenciesStartedBetween(restart.From, restart.To);
        return new RollingReport(settings, players.Count, restarts, ledger);
    }

    /// <summary>SIGTERM to one instance; back = a new process of it runs, its actors serve (services) and every gateway is ready.</summary>
    private async Task<RestartRecord> RestartAsync(LocalUniverse universe, RecoveryProbe probe, string instance, CancellationToken cancellationToken)
    {
        var at = Stopwatch.GetTimestamp();
        var oldPid = universe.Signal(instance, kill: false);
        await output.WriteLineAsync($"[{DateTime.UtcNow:HH:mm:ss}] SIGTERM {instance} (pid {oldPid})").ConfigureAwait(false);
        int? newPid;
        while ((newPid = universe.PidOf(instance)) is null || newPid == oldPid)
        {
            if (Stopwatch.GetElapsedTime(at) > BackTimeout) return new RestartRecord(instance, oldPid, null, null, at, Stopwatch.GetTimestamp());
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        var service = LocalUniverse.Services.FirstOrDefault(s => instance == s || instance.StartsWith(s + "-", StringComparison.Ordinal));
        string[] kinds = service is null ? [] : [service];
        // A service is back once the runtime placed actors on its new process again.
        while (service is not null && !universe.JoinedPlacementSince(instance, at))
        {
            if (Stopwatch.GetElapsedTime(at) > BackTimeout) return new RestartRecord(instance, oldPid, newPid, null, at, Stopwatch.GetTimestamp());
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        var served = await probe.UntilServedAsync(kinds, at, BackTimeout, cancellationToken).ConfigureAwait(false);
        if (served.Values.Any(v => v is null)) return new RestartRecord(instance, oldPid, newPid, null, at, Stopwatch.GetTimestamp());
        await universe.WaitReadyAsync(BackTimeout, cancellationToken).ConfigureAwait(false);
        return new RestartRecord(instance, oldPid, newPid, Stopwatch.GetElapsedTime(at), at, Stopwatch.GetTimestamp());
    }
}
