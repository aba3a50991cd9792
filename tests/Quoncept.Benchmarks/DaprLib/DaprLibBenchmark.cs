using System.Diagnostics;
using System.Globalization;
using Quoncept.Dapr;
using Quoncept.Dapr.Testing;

namespace Quoncept.Benchmarks.DaprLib;

/// <summary>
/// `dotnet run -c Release --project tests/Quoncept.Benchmarks -- daprlib [calls]`: the app-side library's own cost.
/// Actor calls run in-process through ActorTestHost (proxy -> JSON -> dispatch table -> mailbox -> state transaction),
/// client calls against a sidecar that answers at once. Bounded by the call count (default 50,000).
/// </summary>
internal static class DaprLibBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var calls = args.Length > 0 && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1_000_000 ? n : 50_000;
        await using var host = ActorTestHost.Create(o => o.Actors.Register<BenchActor>());

        // Warm-up: JIT, method tables, first activation.
        await host.CreateProxy<IBenchActor>("warm", "BenchActor").AddAsync(1);

        var one = host.CreateProxy<IBenchActor>("one", "BenchActor");
        var latencies = new double[calls];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await one.AddAsync(1);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Report("actor calls, 1 actor, sequential", calls, clock.Elapsed, latencies);

        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, calls).Select(_ => one.AddAsync(1)));
        Report($"actor calls, 1 actor, {calls} concurrent (mailbox)", calls, clock.Elapsed, null);

        const int actors = 1000;
        var perActor = Math.Max(1, calls / actors);
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, actors).Select(async a =>
        {
            var proxy = host.CreateProxy<IBenchActor>("a" + a, "BenchActor");
            for (var i = 0; i < perActor; i++)
            {
                await proxy.AddAsync(1);
            }
        }));
        Report($"actor calls, {actors} actors x {perActor} sequential, in parallel", actors * perActor, clock.Elapsed, null);

        using var client = new DaprClientBuilder().UseHttpEndpoint("http://127.0.0.1:3500").UseHttpMessageHandler(new NullSidecarHandler()).Build();
        var payload = new { Character = "c1", System = "s1", Online = true, LastSeen = DateTimeOffset.UnixEpoch };
        clock.Restart();
        for (var i = 0; i < calls; i++)
        {
            await client.SaveStateAsync("statestore", "k", payload);
        }

        Report("DaprClient.SaveStateAsync, null sidecar", calls, clock.Elapsed, null);

        clock.Restart();
        for (var i = 0; i < calls; i++)
        {
            await client.PublishEventAsync("pubsub", "events", payload);
        }

        Report("DaprClient.PublishEventAsync, null sidecar", calls, clock.Elapsed, null);
        return 0;
    }

    private static void Report(string what, int count, TimeSpan elapsed, double[]? latenciesMicros)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{what,-60} {count,9:N0} in {elapsed.TotalMilliseconds,8:F0} ms  {count / elapsed.TotalSeconds,10:N0}/s");
        if (latenciesMicros is not null)
        {
            Array.Sort(latenciesMicros);
            double P(double q) => latenciesMicros[Math.Min(latenciesMicros.Length - 1, (int)(q * latenciesMicros.Length))];
            line += string.Create(CultureInfo.InvariantCulture, $"  p50 {P(0.50):F1} us  p99 {P(0.99):F1} us  max {latenciesMicros[^1]:F0} us");
        }

        Console.WriteLine(line);
    }
}
