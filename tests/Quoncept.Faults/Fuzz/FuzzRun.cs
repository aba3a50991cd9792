using System.Diagnostics;
using System.Globalization;
using Quoncept.Client;
using Quoncept.Faults.Universe;

namespace Quoncept.Faults.Fuzz;

/// <summary>
/// The fuzzer: a system of its own on free ports, workers sending bad input to one gateway and to the runtime's
/// HTTP and gRPC APIs until the time or the input budget runs out. Pass: no process crashed or restarted, no
/// input went unanswered (hang), the system still serves a normal client, the gateway's and the runtime's
/// memory came back near their baseline (taken after a warm-up), and every refusal was a clear status.
/// </summary>
internal sealed class FuzzRun(FuzzSettings settings, TextWriter output)
{
    private const int GatewayWorkers = 6;
    private const int RuntimeWorkers = 2;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);
    private const long MemorySlackBytes = 64L * 1024 * 1024;

    public async Task<FuzzReport> RunAsync(CancellationToken cancellationToken)
    {
        var outcomes = new FuzzOutcomes();
        await using var universe = new LocalUniverse(new UniverseOptions { Log = settings.Verbose ? line => output.WriteLine(line) : null });
        await output.WriteLineAsync($"starting the system; fuzzing gateway-1 and the runtime's APIs for up to {settings.Duration.TotalSeconds:0} s or {settings.MaxInputs} inputs (seed {settings.Seed}) ...").ConfigureAwait(false);
        await universe.StartAsync(cancellationToken).ConfigureAwait(false);
        var pids = universe.Instances.ToDictionary(i => i, universe.PidOf, StringComparer.Ordinal);
        var runtimePid = universe.RuntimePid;
        var gateway = universe.Gateways[0];
        var sidecar = universe.SidecarOf("characters");
        var users = UserPool.Neighbours(GatewayWorkers + 1);

        var seed = new Random(settings.Seed);
        var gatewayFuzzers = Enumerable.Range(0, GatewayWorkers).Select(i => new GatewayFuzzer(gateway, users[i].Username, outcomes, new Random(seed.Next()))).ToList();
        var runtimeFuzzers = Enumerable.Range(0, RuntimeWorkers).Select(_ => new RuntimeFuzzer(sidecar.Http, sidecar.Grpc, outcomes, new Random(seed.Next()))).ToList();
        Func<CancellationToken, Task>[] workers = [.. gatewayFuzzers.Select(f => (Func<CancellationToken, Task>)f.OneAsync), .. runtimeFuzzers.Select(f => (Func<CancellationToken, Task>)f.OneAsync)];
        long gatewayBaseline, runtimeBaseline, gatewayAfter, runtimeAfter;
        try
        {
            await RunWorkersAsync(workers, Warmup, int.MaxValue, outcomes, cancellationToken).ConfigureAwait(false);
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            (gatewayBaseline, runtimeBaseline) = (Rss(universe.PidOf("gateway-1")), Rss(runtimePid));
            await output.WriteLineAsync($"warm-up done ({outcomes.Inputs} inputs); baseline memory: gateway {Mb(gatewayBaseline)}, runtime {Mb(runtimeBaseline)}").ConfigureAwait(false);
            await RunWorkersAsync(workers, settings.Duration, settings.MaxInputs, outcomes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var fuzzer in gatewayFuzzers) await fuzzer.DisposeAsync().ConfigureAwait(false);
            foreach (var fuzzer in runtimeFuzzers) fuzzer.Dispose();
        }
        await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
        (gatewayAfter, runtimeAfter) = (Rss(universe.PidOf("gateway-1")), Rss(runtimePid));

        foreach (var (instance, pid) in pids)
        {
            if (universe.PidOf(instance) != pid) outcomes.Violation($"{instance} (pid {pid}) crashed or was restarted during the fuzz");
        }
        if (universe.RuntimePid != runtimePid) outcomes.Violation("the local runtime crashed during the fuzz");
        await CheckStillServesAsync(gateway, users[^1].Username, outcomes, cancellationToken).ConfigureAwait(false);
        CheckMemory("gateway", gatewayBaseline, gatewayAfter, outcomes);
        CheckMemory("runtime", runtimeBaseline, runtimeAfter, outcomes);
        return new FuzzReport(settings, outcomes, (gatewayBaseline, gatewayAfter), (runtimeBaseline, runtimeAfter));
    }

    /// <summary>Every worker sends inputs one after another until the time or the input budget is spent.</summary>
    private static async Task RunWorkersAsync(Func<CancellationToken, Task>[] workers, TimeSpan duration, int maxInputs, FuzzOutcomes outcomes, CancellationToken cancellationToken)
    {
        var budget = outcomes.Inputs + (long)maxInputs;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(workers.Select(async worker =>
        {
            while (Stopwatch.GetElapsedTime(started) < duration && outcomes.Inputs < budget && !cancellationToken.IsCancellationRequested)
            {
                await worker(cancellationToken).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
    }

    /// <summary>After all of it, a normal client still gets a session, a stream, a login and a pong.</summary>
    private static async Task CheckStillServesAsync(Uri gateway, string username, FuzzOutcomes outcomes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            using var client = new QuonceptClient(gateway);
            var session = await client.CreateSessionAsync(username, timeout.Token).ConfigureAwait(false);
            await using var connection = await client.ConnectAsync(session.Value, cancellationToken: timeout.Token).ConfigureAwait(false);
            await connection.LoginAsync(timeout.Token).ConfigureAwait(false);
            await connection.PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Grpc.Core.RpcException or RequestFailedException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            outcomes.Violation($"after the fuzz a normal client could not log in and ping: {e.Message}");
        }
    }

    private static void CheckMemory(string what, long baseline, long after, FuzzOutcomes outcomes)
    {
        if (baseline > 0 && after > baseline * 3 / 2 + MemorySlackBytes)
        {
            outcomes.Violation($"{what} memory did not come back: {Mb(baseline)} before, {Mb(after)} after (allowed: 1.5 x + {Mb(MemorySlackBytes)})");
        }
    }

    /// <summary>Resident memory of a process from /proc, or 0 when it cannot be read.</summary>
    private static long Rss(int? pid)
    {
        if (pid is null) return 0;
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0} MB");
}
