using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.PubSub;
using Quoncept.Sidecar.Runner;

namespace Quoncept.Benchmarks.PubSub;

/// <summary>
/// Pub/sub deliveries through the local runtime, all real HTTP on loopback: the runtime's in-memory
/// pub/sub → delivery (CloudEvent, route, span) → <c>POST /orders</c> on a subscriber app → status.
/// Phases 1 and 2 publish straight into the component (measuring delivery alone), one HTTP POST per
/// message and then with <c>bulkSubscribe</c> (100 per POST); phase 3 publishes through the HTTP API
/// (<c>POST /v1.0/publish</c>) from concurrent clients (publish + delivery on the same cores).
/// Usage: <c>pubsub [--messages 200000] [--publishers 32] [--components DIR]</c>. Every phase is bounded to 60 s.
/// <c>--components</c> takes the pubsub component from DIR (a profile such as components/redis, its servers running and
/// their QUONCEPT_* variables set: tests/Quoncept.Benchmarks/profile-bench.sh does both) instead of the in-memory one.
/// </summary>
internal static class PubSubBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var messages = Option(args, "--messages", 200_000);
        var publishers = Option(args, "--publishers", 32);
        var delivered = new Counter();
        await using var subscriber = await StartSubscriberAsync(delivered);
        var resources = Directory.CreateTempSubdirectory("pubsub-bench-").FullName;
        if (OptionPath(args, "--components") is { } components)
        {
            resources = components;
        }
        else
        {
            await File.WriteAllTextAsync(Path.Combine(resources, "pubsub.yaml"),
                "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: pubsub\nspec:\n  type: pubsub.in-memory\n  version: v1\n");
        }
        var specs = new[]
        {
            new AppSpec("bench-subscriber", null, new Uri(subscriber.Urls.First()).Port, null, null, new Dictionary<string, string>(), [resources], null, null),
            new AppSpec("bench-publisher", null, null, null, null, new Dictionary<string, string>(), [resources], null, null),
        };
        await using var runtime = await SidecarRuntime.StartAsync(new SidecarCommand(specs, LogLevel.Warning, SidecarCommand.DefaultMaxRequestBodyBytes, []));
        var subscriberInstance = runtime.Apps.All[0];
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (runtime.Subscriptions.SubscriptionsOf(subscriberInstance).Count < 2)
        {
            if (DateTime.UtcNow > deadline)
            {
                Console.Error.WriteLine("the subscriber app never subscribed");
                return 1;
            }
            await Task.Delay(20);
        }
        var pubsub = runtime.Setup.Components.GetPubSub("pubsub", "bench-publisher");
        var payload = Encoding.UTF8.GetBytes("""{"orderId":12345,"item":"widget","quantity":3,"note":"benchmark payload"}""");
        Console.WriteLine($"pub/sub deliveries through the local runtime ({runtime.Setup.Components.PubSubs.First().Definition.Type} -> HTTP POST to the subscriber app), {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"phase",-44} {"messages",9} {"seconds",8} {"deliveries/s",13}");

        // Warm-up: JIT, connection pool.
        await DirectAsync(pubsub, "bench.orders", payload, 20_000, publishers, delivered);
        var direct = await DirectAsync(pubsub, "bench.orders", payload, messages, publishers, delivered);
        Report("one POST per message", direct);
        await DirectAsync(pubsub, "bench.bulk-orders", payload, 20_000, publishers, delivered);
        var bulk = await DirectAsync(pubsub, "bench.bulk-orders", payload, messages, publishers, delivered);
        Report("bulkSubscribe (100 per POST)", bulk);

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, UseProxy = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{runtime.Apps.All[1].SidecarHttpPort}/"),
        };
        var viaApi = await ViaApiAsync(client, payload, messages / 2, publishers, delivered);
        Report($"HTTP publish API, one POST each ({publishers} clients)", viaApi);
        return 0;
    }

    /// <summary>
    /// Publishes from <paramref name="publishers"/> concurrent loops straight into the component, so that a broker's
    /// write latency (an fsync per XADD on the redis profile) does not cap what the deliveries can show.
    /// </summary>
    private static async Task<(int Count, TimeSpan Elapsed, bool Complete)> DirectAsync(IPubSub pubsub, string topic, byte[] payload, int count, int publishers, Counter delivered)
    {
        var start = delivered.Value;
        var next = -1;
        var clock = Stopwatch.StartNew();
        var time = TimeProvider.System;
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                var envelope = CloudEvents.Wrap(payload, "application/json", new EnvelopeContext("bench-publisher", "pubsub", topic, time.GetUtcNow(), null, null, null));
                await pubsub.PublishAsync(new PubSubMessage(topic, envelope, CloudEvents.ContentType, false, null), default);
            }
        }));
        return await WaitForAsync(delivered, start + count, clock, count);
    }

    private static async Task<(int Count, TimeSpan Elapsed, bool Complete)> ViaApiAsync(HttpClient client, byte[] payload, int count, int publishers, Counter delivered)
    {
        var start = delivered.Value;
        var next = -1;
        var clock = Stopwatch.StartNew();
        var errors = 0;
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                using var content = new ByteArrayContent(payload);
                content.Headers.ContentType = new("application/json");
                using var response = await client.PostAsync("v1.0/publish/pubsub/bench.orders", content);
                if (response.StatusCode != HttpStatusCode.NoContent)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        if (errors > 0)
        {
            Console.Error.WriteLine($"{errors} publish calls failed");
        }
        return await WaitForAsync(delivered, start + count, clock, count);
    }

    private static async Task<(int Count, TimeSpan Elapsed, bool Complete)> WaitForAsync(Counter delivered, long target, Stopwatch clock, int count)
    {
        while (delivered.Value < target && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(5);
        }
        return (count, clock.Elapsed, delivered.Value >= target);
    }

    private static void Report(string phase, (int Count, TimeSpan Elapsed, bool Complete) result)
    {
        var rate = result.Count / result.Elapsed.TotalSeconds;
        Console.WriteLine($"{phase,-44} {result.Count,9} {result.Elapsed.TotalSeconds,8:0.00} {rate,13:N0}{(result.Complete ? "" : "  (INCOMPLETE: 60 s bound hit)")}");
    }

    private static async Task<WebApplication> StartSubscriberAsync(Counter delivered)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/dapr/subscribe", () => Results.Text("""
            [{"pubsubname":"pubsub","topic":"bench.orders","route":"/orders"},
             {"pubsubname":"pubsub","topic":"bench.bulk-orders","route":"/bulk-orders","bulkSubscribe":{"enabled":true,"maxMessagesCount":100,"maxAwaitDurationMs":5}}]
            """, "application/json"));
        app.MapPost("/bulk-orders", async (HttpContext context) =>
        {
            // A bulk subscriber: read every entry, answer SUCCESS per entry id.
            using var batch = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body);
            context.Response.ContentType = "application/json";
            await using var json = new System.Text.Json.Utf8JsonWriter(context.Response.Body);
            json.WriteStartObject();
            json.WriteStartArray("statuses");
            foreach (var entry in batch.RootElement.GetProperty("entries").EnumerateArray())
            {
                json.WriteStartObject();
                json.WriteString("entryId", entry.GetProperty("entryId").GetString());
                json.WriteString("status", "SUCCESS");
                json.WriteEndObject();
                delivered.Increment();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
        app.MapPost("/orders", async (HttpContext context) =>
        {
            // Read the CloudEvent as a real subscriber would, then acknowledge with an empty 200.
            var buffer = new byte[4096];
            while (await context.Request.Body.ReadAsync(buffer) > 0)
            {
            }
            delivered.Increment();
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }

    internal static string? OptionPath(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        if (at < 0)
        {
            return null;
        }
        var path = at + 1 < args.Length ? Path.GetFullPath(args[at + 1]) : throw new ArgumentException($"{name} needs a folder");
        return Directory.Exists(path) ? path : throw new ArgumentException($"{name} {path}: no such folder");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
    }

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}
