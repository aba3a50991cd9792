using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.Runner;

namespace Quoncept.Benchmarks.Actors;

/// <summary>
/// Actor calls through the local runtime, all real HTTP on loopback: caller → its sidecar port
/// (<c>POST /v1.0/actors/BenchActor/{id}/method/echo</c>, 1 KB body) → placement, turn → host app
/// (<c>PUT /actors/BenchActor/{id}/method/echo</c>) → back. One actor per worker, so workers never wait
/// on each other's turn. Prints calls/s and latency percentiles per concurrency level.
/// Usage: <c>actors [--seconds 10] [--payload 1024] [--concurrency 1,8,32] [--components DIR]</c>; <c>--components</c> takes
/// the actor state store from DIR (a profile such as components/redis, see tests/Quoncept.Benchmarks/profile-bench.sh).
/// </summary>
internal static class ActorBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 10);
        var payloadBytes = Option(args, "--payload", 1024);
        var levels = (OptionText(args, "--concurrency") ?? "1,8,32").Split(',').Select(int.Parse).ToArray();

        await using var host = await StartHostAppAsync();
        var resources = Directory.CreateTempSubdirectory("actor-bench-").FullName;
        if (PubSub.PubSubBenchmark.OptionPath(args, "--components") is { } components)
        {
            resources = components;
        }
        else
        {
            await File.WriteAllTextAsync(Path.Combine(resources, "statestore.yaml"),
                "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\nspec:\n  type: state.in-memory\n  version: v1\n  metadata:\n  - name: actorStateStore\n    value: \"true\"\n");
        }
        var specs = new[]
        {
            new AppSpec("bench-host", null, new Uri(host.Urls.First()).Port, null, null, new Dictionary<string, string>(), [resources], null, null),
            new AppSpec("bench-caller", null, null, null, null, new Dictionary<string, string>(), [resources], null, null),
        };
        await using var runtime = await SidecarRuntime.StartAsync(new SidecarCommand(specs, LogLevel.Warning, SidecarCommand.DefaultMaxRequestBodyBytes, []));
        var hosts = (ActorHosts)runtime.App.Services.GetService(typeof(ActorHosts))!;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!hosts.Placement.IsTypeHosted("BenchActor"))
        {
            if (DateTime.UtcNow > deadline)
            {
                Console.Error.WriteLine("the host app never registered BenchActor");
                return 1;
            }
            await Task.Delay(20);
        }

        var callerPort = runtime.Apps.All[1].SidecarHttpPort;
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{callerPort}/"),
        };
        var payload = Encoding.UTF8.GetBytes("\"" + new string('x', Math.Max(0, payloadBytes - 2)) + "\"");
        Console.WriteLine($"actor calls through the local runtime: caller -> sidecar -> host app -> back, actor state in {runtime.Setup.Components.StateStores.First(s => s.Instance.IsActorStateStore).Definition.Type}, {payload.Length} B payload, {Environment.ProcessorCount} cores, {seconds}s per level");
        Console.WriteLine($"{"concurrency",11} {"calls",9} {"calls/s",9} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8} {"errors",7}");
        foreach (var concurrency in levels)
        {
            await MeasureAsync(client, payload, concurrency, TimeSpan.FromSeconds(Math.Min(2, seconds)), record: false);
            var result = await MeasureAsync(client, payload, concurrency, TimeSpan.FromSeconds(seconds), record: true);
            Console.WriteLine($"{concurrency,11} {result.Calls,9} {result.Calls / result.Elapsed.TotalSeconds,9:F0} {result.P(0.50),8:F3} {result.P(0.90),8:F3} {result.P(0.99),8:F3} {result.P(1.0),8:F3} {result.Errors,7}");
        }
        if (PubSub.PubSubBenchmark.OptionPath(args, "--components") is null)
        {
            Directory.Delete(resources, recursive: true);
        }
        return 0;
    }

    private static async Task<Result> MeasureAsync(HttpClient client, byte[] payload, int concurrency, TimeSpan duration, bool record)
    {
        var latencies = new List<long>[concurrency];
        var errors = 0;
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<long>(200_000);
            var path = $"v1.0/actors/BenchActor/bench-{worker}/method/echo";
            while (!stop.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(payload);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(path, content);
                var body = await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK || body.Length != payload.Length)
                {
                    Interlocked.Increment(ref errors);
                }
                if (record)
                {
                    mine.Add(Stopwatch.GetTimestamp() - start);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new Result(all, clock.Elapsed, errors);
    }

    private static async Task<WebApplication> StartHostAppAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/dapr/config", () => Results.Text("{\"entities\":[\"BenchActor\"]}", "application/json"));
        app.MapPut("/actors/BenchActor/{id}/method/echo", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = buffer.Length;
            await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        });
        app.MapDelete("/actors/BenchActor/{id}", () => Results.Ok());
        await app.StartAsync();
        return app;
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private sealed record Result(long[] SortedTicks, TimeSpan Elapsed, int Errors)
    {
        public int Calls => SortedTicks.Length;

        public double P(double quantile) => SortedTicks.Length == 0
            ? 0
            : SortedTicks[Math.Min(SortedTicks.Length - 1, (int)Math.Ceiling(quantile * SortedTicks.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
