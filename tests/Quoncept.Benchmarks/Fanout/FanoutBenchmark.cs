using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Quoncept.Testing.V1;

namespace Quoncept.Benchmarks.Fanout;

/// <summary>
/// The floor under the gateway's CPU per delivery (#14 asks for 5 µs): what this machine's kernel, and grpc-dotnet on
/// Kestrel, cost to send one broadcast message to one of N subscribers, with no application logic at all. For each
/// <see cref="FanoutServer"/> kind, a server process broadcasts RATE messages a second and this process holds N
/// subscribers, each on a connection of its own (as the peer bench's clients), counting and timing what arrives.
/// Prints, per kind, deliveries/s, the server process's CPU per delivery (from /proc) and the latency from broadcast
/// to receipt (p50 / p99). The defaults are the peer bench's N = 200 chat phase: 200 lines/s, each to 200 clients.
/// usage: fanout [--clients N (2..2000, default 200)] [--rate R (1..2000, default 200)] [--seconds S (5..60, default 20)]
/// </summary>
internal static class FanoutBenchmark
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string[] args)
    {
        var (clients, rate, seconds) = (200, 200, 20);
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            var ok = i + 1 < args.Length && flag switch
            {
                "--clients" => int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out clients) && clients is >= 2 and <= 2_000,
                "--rate" => int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out rate) && rate is >= 1 and <= 2_000,
                "--seconds" => int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out seconds) && seconds is >= 5 and <= 60,
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine($"error: {(flag is "--clients" or "--rate" or "--seconds" ? $"{flag} needs a number in its range" : $"unknown argument '{flag}'")}; usage: fanout [--clients 2..2000] [--rate 1..2000] [--seconds 5..60]");
                return 2;
            }
        }

        Console.WriteLine($"fanout: {rate} messages/s broadcast to {clients} subscribers, each on its own connection ({FanoutServer.PayloadBytes}-byte messages), {Environment.ProcessorCount} cores; {WarmUp.TotalSeconds:F0} s warm-up, {seconds} s measured");
        Console.WriteLine("server | deliveries/s | server CPU per delivery | broadcast to receipt p50 / p99 ms | dropped subscribers");
        foreach (var kind in FanoutServer.Kinds)
        {
            using var server = ChildServer.Start(["fanout-server", kind, rate.ToString(CultureInfo.InvariantCulture)]);
            Console.WriteLine(await MeasureAsync(kind, server.Process, server.Port, clients, TimeSpan.FromSeconds(seconds)));
        }
        return 0;
    }

    private static async Task<string> MeasureAsync(string kind, Process server, int port, int clients, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(WarmUp + duration + TimeSpan.FromSeconds(30));
        var window = new Window();
        var subscribers = Enumerable.Range(0, clients)
            .Select(_ => kind == "grpc" ? SubscribeGrpcAsync(port, window, stop.Token) : SubscribeSocketAsync(port, window, stop.Token))
            .ToArray();
        await Task.Delay(WarmUp);
        var ticks = ServerTicks(server);
        window.Open();
        await Task.Delay(duration);
        window.Close();
        ticks = ServerTicks(server) - ticks;
        await stop.CancelAsync();
        var ended = await Task.WhenAll(subscribers);
        var dropped = ended.Count(e => e);
        var delivered = window.Delivered;
        var cpuMicros = ticks * 1e6 / ClockTicksPerSecond;
        var latencies = window.Latencies();
        double At(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
        return string.Create(CultureInfo.InvariantCulture,
            $"{kind,-6} | {delivered / duration.TotalSeconds,12:F0} | {cpuMicros / Math.Max(1, delivered),20:F1} µs | {At(0.50),15:F2} / {At(0.99):F2} | {dropped}");
    }

    /// <returns>True when the server ended the subscription before the benchmark did (it fell behind).</returns>
    private static async Task<bool> SubscribeGrpcAsync(int port, Window window, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var call = new FanoutService.FanoutServiceClient(channel).Subscribe(new EchoRequest(), cancellationToken: cancellationToken);
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                window.Received(FanoutServer.SentAt(call.ResponseStream.Current.Payload.Span));
            }
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException)
        {
            // Ended by the benchmark (a cancelled call can also surface as an aborted request), or by the server.
            return !cancellationToken.IsCancellationRequested;
        }
    }

    private static async Task<bool> SubscribeSocketAsync(int port, Window window, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0) return true;
                filled += read;
                var at = 0;
                while (filled - at >= 4 && filled - at - 4 >= BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at)))
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at));
                    window.Received(FanoutServer.SentAt(EchoResponse.Parser.ParseFrom(buffer, at + 4, length).Payload.Span));
                    at += 4 + length;
                }
                buffer.AsSpan(at, filled - at).CopyTo(buffer);
                filled -= at;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            return !cancellationToken.IsCancellationRequested;
        }
    }

    /// <summary>The server process's user + system CPU so far, in clock ticks (/proc/PID/stat fields 14 and 15).</summary>
    private static long ServerTicks(Process server)
    {
        var stat = File.ReadAllText($"/proc/{server.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private const double ClockTicksPerSecond = 100; // USER_HZ, the unit of /proc/PID/stat on Linux

    /// <summary>The measured window: deliveries counted and latencies kept only while it is open.</summary>
    private sealed class Window
    {
        private readonly List<double> _latencies = new(1 << 20);
        private readonly Lock _gate = new();
        private volatile bool _open;
        private long _delivered;

        public long Delivered => Interlocked.Read(ref _delivered);

        public void Open() => _open = true;

        public void Close() => _open = false;

        public void Received(long sentAt)
        {
            if (!_open) return;
            var milliseconds = Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds;
            Interlocked.Increment(ref _delivered);
            lock (_gate) _latencies.Add(milliseconds);
        }

        public double[] Latencies()
        {
            lock (_gate)
            {
                var sorted = _latencies.ToArray();
                Array.Sort(sorted);
                return sorted;
            }
        }
    }
}
