using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quoncept.Testing.V1;

namespace Quoncept.Benchmarks.Fanout;

/// <summary>
/// The server of the fan-out floor benchmark, in a process of its own so that its CPU is its own: it broadcasts
/// RATE messages a second, each encoded once and queued to every subscriber, and one writer per subscriber sends
/// what is queued, flushing once its queue is empty (as the gateway writes a client's stream). Prints "port N";
/// stops when its standard input closes.
/// <list type="bullet">
/// <item><c>grpc</c>: grpc-dotnet on Kestrel, h2c, a server-streaming call per subscriber (the gateway's stack).</item>
/// <item><c>socket</c>: a TCP connection per subscriber, length-prefixed messages, every queued message in one send:
/// the machine's floor for the same deliveries.</item>
/// </list>
/// </summary>
internal static class FanoutServer
{
    public static readonly string[] Kinds = ["socket", "grpc"];

    /// <summary>Bytes of a message as encoded (an EchoResponse); about a chat line's size on the gateway's stream.</summary>
    public const int PayloadBytes = 96;

    /// <summary>A subscriber further behind than this is dropped: the benchmark measures a server that keeps up.</summary>
    public const int MaxQueued = 10_000;

    public static readonly ConcurrentDictionary<FanoutSubscriber, bool> Subscribers = new();

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2 || !Kinds.Contains(args[0]) || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rate) || rate is < 1 or > 10_000)
        {
            Console.Error.WriteLine($"error: fanout-server takes a kind ({string.Join(" | ", Kinds)}) and a rate (1..10000 messages/s)");
            return 2;
        }

        var stdinClosed = Task.Run(() => Console.In.ReadToEnd());
        using var stop = new CancellationTokenSource();
        if (args[0] == "socket")
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1024);
            Console.WriteLine($"port {((IPEndPoint)listener.LocalEndPoint!).Port}");
            _ = AcceptAsync(listener, stop.Token);
            var broadcasting = BroadcastAsync(rate, stop.Token);
            await Task.WhenAny(stdinClosed, broadcasting);
            await stop.CancelAsync();
            return await Ended(broadcasting);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<GrpcFanout>();
        await app.StartAsync();
        Console.WriteLine($"port {new Uri(app.Urls.First()).Port}");
        var broadcast = BroadcastAsync(rate, stop.Token);
        await Task.WhenAny(stdinClosed, broadcast);
        await stop.CancelAsync();
        await app.StopAsync();
        return await Ended(broadcast);
    }

    /// <summary>0 when the broadcast stopped because it was asked to; a failure of its own is printed, and 1.</summary>
    private static async Task<int> Ended(Task broadcast)
    {
        try
        {
            await broadcast;
            return 0;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: the broadcast failed: {e}");
            return 1;
        }
    }

    /// <summary>The message a subscriber receives: an EchoResponse whose payload starts with the monotonic clock at broadcast.</summary>
    public static long SentAt(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload);

    private static async Task BroadcastAsync(int rate, CancellationToken cancellationToken)
    {
        var interval = Stopwatch.Frequency / rate;
        var due = Stopwatch.GetTimestamp();
        var payload = new byte[PayloadBytes - 3];
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
            BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
            var message = new EchoResponse { Payload = ByteString.CopyFrom(payload) };
            var broadcast = new Broadcast(message, message.ToByteArray());
            foreach (var subscriber in Subscribers.Keys)
            {
                subscriber.Offer(broadcast);
            }
            due += interval;
        }
    }

    private static async Task AcceptAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var connection = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            connection.NoDelay = true;
            _ = ServeSocketAsync(connection, cancellationToken);
        }
    }

    private static async Task ServeSocketAsync(Socket connection, CancellationToken cancellationToken)
    {
        var queue = new FanoutSubscriber();
        Subscribers[queue] = true;
        var buffer = new byte[64 * 1024];
        try
        {
            while (await queue.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                var length = 0;
                while (length + 4 + PayloadBytes <= buffer.Length && queue.TryTake(out var broadcast))
                {
                    BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(length), broadcast.Encoded.Length);
                    broadcast.Encoded.CopyTo(buffer, length + 4);
                    length += 4 + broadcast.Encoded.Length;
                }
                await connection.SendAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
        }
        finally
        {
            Subscribers.TryRemove(queue, out _);
            connection.Dispose();
        }
    }
}
