using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Quoncept.Benchmarks.Hops;

/// <summary>
/// What one request and its answer between two processes costs on this machine, the unit every figure of the system
/// is made of (a chat line crosses about six of them before the others see it). Each <see cref="HopServer"/> kind
/// runs in a child process; a blocking client on a thread of its own sends <c>GET /h</c> on one kept-alive
/// connection, first back to back, then with a pause before each request, as an idle system sees its requests
/// (the processes' threads have gone to sleep in between). Prints p50 / p90 / p99 / max of each.
/// usage: hops [--requests N (10..10000, default 300)] [--gap-ms N (1..1000, default 100)]; at most 120 s in all.
/// </summary>
internal static class HopsBenchmark
{
    private const int WarmUp = 300;
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET /h HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

    public static async Task<int> RunAsync(string[] args)
    {
        var requests = 300;
        var gapMs = 100;
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            var ok = i + 1 < args.Length && flag switch
            {
                "--requests" => int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out requests) && requests is >= 10 and <= 10_000,
                "--gap-ms" => int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out gapMs) && gapMs is >= 1 and <= 1_000,
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine($"error: {(flag is "--requests" or "--gap-ms" ? $"{flag} needs a number in its range" : $"unknown argument '{flag}'")}; usage: hops [--requests 10..10000] [--gap-ms 1..1000]");
                return 2;
            }
        }
        if ((long)requests * gapMs * HopServer.Kinds.Length > 120_000)
        {
            Console.Error.WriteLine($"error: {requests} requests x {gapMs} ms x {HopServer.Kinds.Length} servers exceeds the 120 s bound; lower --requests or --gap-ms");
            return 2;
        }

        Console.WriteLine($"hops: one HTTP/1.1 request and its 204 between two processes on loopback, {Environment.ProcessorCount} cores; {requests} requests back to back, then {requests} with {gapMs} ms before each");
        Console.WriteLine("server          | back to back p50 / p90 / p99 / max ms | after a pause p50 / p90 / p99 / max ms");
        foreach (var kind in HopServer.Kinds)
        {
            using var server = ChildServer.Start(["hops-server", kind],
                new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = kind == "kestrel-inline" ? "1" : "0" });
            var (busy, idle) = await Task.Factory.StartNew(() => Measure(server.Port, requests, gapMs), TaskCreationOptions.LongRunning);
            Console.WriteLine($"{kind,-15} | {Format(busy),-37} | {Format(idle)}");
        }
        return 0;
    }

    private static (double[] Busy, double[] Idle) Measure(int port, int requests, int gapMs)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        var buffer = new byte[4096];
        for (var i = 0; i < WarmUp; i++) RoundTrip(socket, buffer);
        var busy = new double[requests];
        for (var i = 0; i < requests; i++) busy[i] = RoundTrip(socket, buffer);
        var idle = new double[requests];
        for (var i = 0; i < requests; i++)
        {
            Thread.Sleep(gapMs);
            idle[i] = RoundTrip(socket, buffer);
        }
        return (busy, idle);
    }

    /// <returns>Milliseconds from sending the request to reading the end of its answer (a 204: headers only).</returns>
    private static double RoundTrip(Socket socket, byte[] buffer)
    {
        var started = Stopwatch.GetTimestamp();
        socket.Send(Request);
        var matched = 0;
        while (matched < 4)
        {
            var read = socket.Receive(buffer);
            if (read == 0) throw new IOException("the server closed the connection");
            for (var i = 0; i < read && matched < 4; i++)
            {
                matched = HopServer.MatchHeaderEnd(matched, buffer[i]);
            }
        }
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static string Format(double[] milliseconds)
    {
        Array.Sort(milliseconds);
        double At(double q) => milliseconds[Math.Min(milliseconds.Length - 1, (int)(q * milliseconds.Length))];
        return string.Create(CultureInfo.InvariantCulture, $"{At(0.50):F3} / {At(0.90):F3} / {At(0.99):F3} / {milliseconds[^1]:F3}");
    }
}
