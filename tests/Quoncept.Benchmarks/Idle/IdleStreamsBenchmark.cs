using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Quoncept.V1;

namespace Quoncept.Benchmarks.Idle;

/// <summary>
/// The clients of tests/Quoncept.Benchmarks/idle-bench.sh, in two roles:
/// <c>idle-streams hold --gateway URL --prefix P --first F --count N --seconds S</c> logs in N users
/// (P + number, F..F+N-1), each on its own HTTP/2 connection from a rotating loopback source address
/// 127.0.0.2..127.0.0.33 (ephemeral ports are per source address), prints "held N" once all are in,
/// reads and drops whatever they are sent for S seconds, then closes them;
/// <c>idle-streams talk --gateway URL --prefix P --first F --count N --seconds S</c> logs in N users who
/// share a system, each sends a chat line every 200 ms for S seconds, and prints the fan-out latency
/// (a line's send to each other talker's receipt) as p50/p99/max. Bounded: 1..20,000 clients per process, 1..3,600 s.
/// </summary>
internal static class IdleStreamsBenchmark
{
    private const int SourceAddresses = 32;

    public static async Task<int> RunAsync(string[] args)
    {
        var role = args.FirstOrDefault();
        string? gateway = null, prefix = null;
        int first = 1, count = 0, seconds = 10;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--gateway": gateway = value; i++; break;
                case "--prefix": prefix = value; i++; break;
                case "--first" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var f) && f is >= 1 and <= 9_999_999: first = f; i++; break;
                case "--count" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is >= 1 and <= 20_000: count = c; i++; break;
                case "--seconds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 3600: seconds = s; i++; break;
                default:
                    Console.Error.WriteLine($"idle-streams: bad or out-of-range flag '{args[i]}' {value} (--first 1..9999999, --count 1..20000, --seconds 1..3600)");
                    return 2;
            }
        }
        if (role is not ("hold" or "talk") || gateway is null || !Uri.TryCreate(gateway, UriKind.Absolute, out var address) || prefix is null || count == 0)
        {
            Console.Error.WriteLine("usage: idle-streams hold|talk --gateway http://127.0.0.1:PORT --prefix USER_PREFIX --first N --count N [--seconds S]");
            return 2;
        }

        return role == "hold"
            ? await HoldAsync(address, prefix, first, count, TimeSpan.FromSeconds(seconds))
            : await TalkAsync(address, prefix, first, count, TimeSpan.FromSeconds(seconds));
    }

    private static async Task<int> HoldAsync(Uri gateway, string prefix, int first, int count, TimeSpan hold)
    {
        var clients = new IdleClient?[count];
        var failures = 0;
        // 32 logins at once: a login is ~20 Dapr hops, and a storm of 200 at once on 2 cores ran into its deadlines.
        using var gate = new SemaphoreSlim(32);
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async k =>
        {
            await gate.WaitAsync();
            try
            {
                clients[k] = await IdleClient.LogInAsync(gateway, User(prefix, first + k), SourceAddress(first + k), _ => { });
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or IOException or InvalidOperationException or TimeoutException)
            {
                if (Interlocked.Increment(ref failures) <= 5) Console.Error.WriteLine($"{User(prefix, first + k)}: {e.Message}");
            }
            finally
            {
                gate.Release();
            }
        }));
        Console.WriteLine($"held {count - failures} ({failures} failed) in {started.Elapsed.TotalSeconds:F1} s");
        await Task.Delay(hold);
        var cut = clients.Count(c => c is { Ended.IsCompleted: true });
        Console.WriteLine($"released; {cut} streams had ended while held");
        await Task.WhenAll(clients.OfType<IdleClient>().Select(c => c.DisposeAsync().AsTask()));
        return failures == 0 && cut == 0 ? 0 : 1;
    }

    private static async Task<int> TalkAsync(Uri gateway, string prefix, int first, int count, TimeSpan duration)
    {
        var latencies = new List<double>();
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var talkers = new List<IdleClient>();
        for (var k = 0; k < count; k++)
        {
            var me = User(prefix, first + k);
            talkers.Add(await IdleClient.LogInAsync(gateway, me, IPAddress.Loopback, m =>
            {
                seen.AddOrUpdate(m.BodyCase == ServerMessage.BodyOneofCase.Error ? "error: " + m.Error.Message : m.BodyCase.ToString(), 1, (_, n) => n + 1);
                if (m.BodyCase != ServerMessage.BodyOneofCase.ChatMessage) return;
                var parts = m.ChatMessage.Text.Split(' ', 2);
                if (parts.Length < 2 || parts[1] == me || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sent)) return;
                var ms = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                lock (latencies) latencies.Add(ms);
            }));
        }

        var stop = Stopwatch.StartNew();
        var lines = 0;
        while (stop.Elapsed < duration)
        {
            foreach (var (talker, k) in talkers.Select((t, k) => (t, k)))
            {
                await talker.ChatAsync($"{Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture)} {User(prefix, first + k)}");
                lines++;
            }
            await Task.Delay(200);
        }
        await Task.Delay(1000);
        foreach (var t in talkers) await t.DisposeAsync();

        double[] sorted;
        lock (latencies) sorted = [.. latencies.Order()];
        double P(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"chat fan-out: {lines} lines, {sorted.Length} of {lines * (count - 1)} deliveries, p50 {P(50):F2} ms, p99 {P(99):F2} ms, max {(sorted.Length == 0 ? double.NaN : sorted[^1]):F2} ms"));
        if (sorted.Length != lines * (count - 1)) Console.WriteLine("talkers received: " + string.Join(", ", seen.Select(e => $"{e.Key} x{e.Value}")));
        return sorted.Length == lines * (count - 1) ? 0 : 1;
    }

    private static string User(string prefix, int number) => prefix + number.ToString("D5", CultureInfo.InvariantCulture);

    private static IPAddress SourceAddress(int number) => new([127, 0, 0, (byte)(2 + number % SourceAddresses)]);
}
