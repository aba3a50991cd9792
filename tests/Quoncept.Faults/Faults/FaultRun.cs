using System.Diagnostics;
using Quoncept.Client;
using Quoncept.Faults.Universe;

namespace Quoncept.Faults.Faults;

/// <summary>
/// The fault harness: starts the system on free ports, logs players in and keeps them playing, then kills
/// (SIGKILL, or SIGTERM with <c>--signal term</c>) each target in turn: a service (restarted by the runtime's
/// supervisor), a gateway replica (restarted likewise; its clients resume on another one), the local
/// runtime itself (started again by this harness, as a process manager would), and with <c>--profile</c> the
/// profile's servers (Redis, NATS, PostgreSQL: SIGKILL, then started again on the same port and data). After each kill it measures
/// how long until the killed service's actors serve again and the gateways are ready. At the end every
/// player's ledger is checked against the state (Login and GetCharacter), and the report says whether
/// anything acknowledged was lost, applied twice, or seen leaving.
/// </summary>
internal sealed class FaultRun(FaultSettings settings, TextWriter output)
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(60);

    public async Task<FaultReport> RunAsync(CancellationToken cancellationToken)
    {
        var ledger = new FaultLedger { GracePeriod = settings.GracePeriod };
        await using var servers = settings.Profile is { } profile ? await ProfileServerSet.StartAsync(profile, output, cancellationToken).ConfigureAwait(false) : null;
        var options = UniverseOptions.For(settings, servers, output);
        await using var universe = new LocalUniverse(options);
        await output.WriteLineAsync($"starting the system (2 gateways, {options.Describe()}) ...").ConfigureAwait(false);
        await universe.StartAsync(cancellationToken).ConfigureAwait(false);
        var gateways = universe.Gateways.Select(g => new QuonceptClient(g)).ToArray();
        var players = new List<FaultPlayer>();
        var kills = new List<KillRecord>();
        try
        {
            var users = UserPool.Neighbours(settings.Clients);
            var home = users[0].HomeSystemId;
            var away = (await gateways[0].GetSystemAsync(home, cancellationToken).ConfigureAwait(false)).Neighbours[0].Id;
            var probe = new RecoveryProbe(gateways, UserPool.Other(users).Username, users[0].CharacterId, home);
            players.AddRange(users.Select((u, i) => new FaultPlayer(u, gateways, i % gateways.Length, away, ledger)));
            await output.WriteLineAsync($"logging in {players.Count} players (all start in {home}, jumping to {away} and back, chatting every ~{settings.Interval.TotalMilliseconds:0} ms) ...").ConfigureAwait(false);
            await Task.WhenAll(players.Select(p => p.LogInAsync(cancellationToken))).ConfigureAwait(false);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var playing = players.Select(p => p.PlayAsync(settings.Interval, stop.Token, hardStop.Token)).ToArray();
            await Task.Delay(Warmup, cancellationToken).ConfigureAwait(false);

            var started = Stopwatch.GetTimestamp();
            for (var round = 0; round == 0 || Stopwatch.GetElapsedTime(started) < settings.Duration; round++)
            {
                foreach (var target in settings.Targets)
                {
                    if (round > 0 && Stopwatch.GetElapsedTime(started) >= settings.Duration) break;
                    kills.Add(await KillAsync(universe, servers, probe, ledger, target, round, cancellationToken).ConfigureAwait(false));
                    await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
                }
            }

            await output.WriteLineAsync("faults over: finishing the requests under way, then checking every ledger ...").ConfigureAwait(false);
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
        return new FaultReport(settings, players.Count, kills, ledger);
    }

    private async Task<KillRecord> KillAsync(LocalUniverse universe, ProfileServerSet? servers, RecoveryProbe probe, FaultLedger ledger, string target, int round, CancellationToken cancellationToken)
    {
        var signal = settings.Graceful ? "SIGTERM" : "SIGKILL";
        var at = Stopwatch.GetTimestamp();
        string victim;
        if (target == "runtime")
        {
            victim = $"runtime (pid {universe.RuntimePid})";
            // The runtime is always SIGKILLed: a SIGTERM would be an orderly stop of everything, not a fault.
            signal = "SIGKILL";
            await universe.KillAndRestartRuntimeAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (servers is not null && ProfileServerSet.ServersOf(servers.Profile).Contains(target, StringComparer.Ordinal))
        {
            // A server is always SIGKILLed, and started again at once on the same port and data (as its supervisor would).
            signal = "SIGKILL";
            var pid = await servers.KillAsync(target, cancellationToken).ConfigureAwait(false);
            var restarted = await servers.RestartAsync(target, cancellationToken).ConfigureAwait(false);
            victim = $"{target} server (pid {pid}; started again as pid {restarted} after {Stopwatch.GetElapsedTime(at).TotalMilliseconds:0} ms)";
        }
        else
        {
            var instance = target == "gateway" ? LocalUniverse.GatewayInstance(1 + round % universe.Gateways.Count) : target;
            victim = $"{instance} (pid {universe.Signal(instance, kill: !settings.Graceful)})";
        }
        await output.WriteLineAsync($"[{DateTime.UtcNow:HH:mm:ss}] {signal} {victim}").ConfigureAwait(false);
        string[] kinds = target switch
        {
            "runtime" or "redis" or "nats" or "postgres" => RecoveryProbe.Kinds,
            "gateway" => [],
            _ => [target],
        };
        var served = await probe.UntilServedAsync(kinds, at, RecoveryTimeout, cancellationToken).ConfigureAwait(false);
        await universe.WaitReadyAsync(RecoveryTimeout, cancellationToken).ConfigureAwait(false);
        var ready = Stopwatch.GetElapsedTime(at);
        if (target == "runtime") ledger.Outage(at, Stopwatch.GetTimestamp());
        var record = new KillRecord(target, victim, signal, served, ready);
        await output.WriteLineAsync($"           {record.Describe()}").ConfigureAwait(false);
        return record;
    }
}
