using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Quoncept.Client;
using Quoncept.V1;

namespace Quoncept.Cli;

/// <summary>
/// quoncept chat-bench: N clients log in (16 at a time) and listen to world chat only; random ones
/// say R world lines per second in total for T seconds. Delivery latency is from a line being sent
/// to each listener reading it, on this process's clock; deliveries/s counts every listener's copy.
/// </summary>
internal static class ChatBenchCommand
{
    public static Command Create(Option<Uri> gateway)
    {
        var clients = new Option<int>("--clients", "-n") { Description = "Clients (1..10000)", DefaultValueFactory = _ => 1000 };
        clients.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 10_000) r.AddError("--clients must be 1..10000"); });
        var rate = new Option<double>("--lines-per-second") { Description = "World lines per second in total (0.1..1000)", DefaultValueFactory = _ => 1 };
        rate.Validators.Add(r => { if (r.GetValueOrDefault<double>() is < 0.1 or > 1000) r.AddError("--lines-per-second must be 0.1..1000"); });
        var seconds = new Option<int>("--seconds", "-t") { Description = "How long lines are sent (1..600 s)", DefaultValueFactory = _ => 20 };
        seconds.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 600) r.AddError("--seconds must be 1..600"); });
        var first = new Option<int>("--first") { Description = "Number of the first user (pilot{0:D6})", DefaultValueFactory = _ => 6 };
        first.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--first must be 0 or more"); });
        var extraGateways = new Option<Uri[]>("--also") { Description = "More gateway addresses; clients are spread over all of them", AllowMultipleArgumentsPerToken = true, CustomParser = GatewayAddress.ParseMany };

        var command = new Command("chat-bench", "N clients listen to world chat while R lines per second are said; prints delivery latency p50/p99 and deliveries per second")
        {
            clients, rate, seconds, first, extraGateways,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var gateways = new[] { parse.GetRequiredValue(gateway) }.Concat(parse.GetValue(extraGateways) ?? []).ToArray();
            try
            {
                return await RunAsync(gateways, parse.GetValue(clients), parse.GetValue(rate), TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetValue(first), cancellationToken);
            }
            catch (RpcException e)
            {
                await Console.Error.WriteLineAsync($"chat-bench failed: {e.StatusCode}: {e.Status.Detail}");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(Uri[] gateways, int count, double linesPerSecond, TimeSpan duration, int first, CancellationToken cancellationToken)
    {
        var clients = gateways.Select(g => new QuonceptClient(g)).ToArray();
        var connections = new QuonceptConnection?[count];
        var sentAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latency = new LatencyRecorder();
        var said = new LatencyRecorder();
        long deliveries = 0;
        var failures = 0;
        try
        {
            Console.WriteLine($"logging in {count} clients through {string.Join(", ", gateways)} (16 at a time), each listening to channels only ...");
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                try
                {
                    var client = clients[i % clients.Length];
                    var session = await client.CreateSessionAsync(string.Format(CultureInfo.InvariantCulture, "pilot{0:D6}", first + i), ct);
                    var connection = await client.ConnectAsync(session.Value, cancellationToken: ct);
                    await connection.SubscribeAsync([LiveKind.Channels], ct);
                    await connection.LoginAsync(ct);
                    connections[i] = connection;
                    _ = Task.Run(async () =>
                    {
                        await foreach (var e in connection.Events.ReadAllAsync(CancellationToken.None))
                        {
                            if (e.ChannelLine is { } line && sentAt.TryGetValue(line.Text, out var at))
                            {
                                latency.Add(Stopwatch.GetElapsedTime(at, e.ReceivedTimestamp));
                                Interlocked.Increment(ref deliveries);
                            }
                        }
                    }, CancellationToken.None);
                }
                catch (Exception e) when (e is RpcException or RequestFailedException or TimeoutException)
                {
                    if (Interlocked.Increment(ref failures) <= 5) Console.WriteLine($"login {first + i} failed: {e.Message}");
                }
            });
            var ready = connections.OfType<QuonceptConnection>().ToArray();
            Console.WriteLine($"{ready.Length} listening; saying {linesPerSecond} world lines per second for {duration.TotalSeconds:F0} s ...");

            var random = new Random(42);
            var started = Stopwatch.GetTimestamp();
            var sends = new List<Task>();
            for (var n = 0; Stopwatch.GetElapsedTime(started) < duration; n++)
            {
                var due = TimeSpan.FromSeconds(n / linesPerSecond) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
                var speaker = ready[random.Next(ready.Length)];
                var text = $"bench line {n}";
                sends.Add(Task.Run(async () =>
                {
                    sentAt[text] = Stopwatch.GetTimestamp();
                    try
                    {
                        said.Add((await speaker.SayAsync("world", text, cancellationToken)).Latency);
                    }
                    catch (Exception e) when (e is RpcException or RequestFailedException or TimeoutException)
                    {
                        if (Interlocked.Increment(ref failures) <= 5) Console.WriteLine($"line {n} failed: {e.Message}");
                    }
                }, cancellationToken));
            }
            await Task.WhenAll(sends);
            var sending = Stopwatch.GetElapsedTime(started);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // the last lines' deliveries
            var expected = (long)said.Count * ready.Length;
            Console.WriteLine($"lines said:       {said.Count} (say round trip {said.Summary()})");
            Console.WriteLine($"delivery latency: {latency.Summary()}");
            Console.WriteLine($"deliveries:       {Interlocked.Read(ref deliveries)} of {expected} expected, {Interlocked.Read(ref deliveries) / sending.TotalSeconds:F0}/s");
            Console.WriteLine($"failures:         {failures}");
            foreach (var connection in ready)
            {
                try
                {
                    await connection.LogoutAsync(CancellationToken.None);
                }
                catch (Exception e) when (e is RpcException or RequestFailedException or TimeoutException)
                {
                    failures++;
                }
            }
            return failures == 0 && Interlocked.Read(ref deliveries) == expected ? 0 : 1;
        }
        finally
        {
            foreach (var connection in connections.OfType<QuonceptConnection>()) await connection.DisposeAsync();
            foreach (var client in clients) client.Dispose();
        }
    }
}
