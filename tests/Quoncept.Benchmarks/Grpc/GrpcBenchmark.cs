using System.Diagnostics;
using System.Globalization;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Grpc.Core;
using Grpc.Net.Client;
using Quoncept.Testing.V1;

namespace Quoncept.Benchmarks.Grpc;

/// <summary>
/// grpc-dotnet's client (Grpc.Net.Client) against its server (Grpc.AspNetCore) on loopback: unary calls/s with p50/p99 at 64 concurrent calls,
/// then messages/s on one bidirectional stream of 64-byte messages. Bounded in time.
/// usage: grpc [seconds per phase, default 10]
/// </summary>
internal static class GrpcBenchmark
{
    private const int Concurrency = 64;
    private const int StreamMessageBytes = 64;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 120 ? s : 10;
        var duration = TimeSpan.FromSeconds(seconds);
        await using var server = await StartServerAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var channel = GrpcChannel.ForAddress(address);
        var client = new TestService.TestServiceClient(channel);

        Console.WriteLine($"gRPC benchmark: grpc-dotnet client -> grpc-dotnet server, h2c on {address}, {Environment.ProcessorCount} cores, {seconds} s per phase");
        await UnaryAsync(client, TimeSpan.FromSeconds(2), print: false);
        await UnaryAsync(client, duration, print: true);
        await StreamAsync(client, TimeSpan.FromSeconds(2), print: false);
        await StreamAsync(client, duration, print: true);
        return 0;
    }

    private static async Task<WebApplication> StartServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
                var app = builder.Build();
        app.MapGrpcService<BenchService>();
        await app.StartAsync();
        return app;
    }

    private static async Task UnaryAsync(TestService.TestServiceClient client, TimeSpan duration, bool print)
    {
        var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[16]) };
        var latencies = new List<long>[Concurrency];
        var errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var workers = Enumerable.Range(0, Concurrency).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = new List<long>(1 << 16);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    await client.UnaryEchoAsync(request);
                    mine.Add(Stopwatch.GetTimestamp() - t0);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        if (!print)
        {
            return;
        }

        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"unary: {all.Length / elapsed.TotalSeconds:F0} calls/s over {elapsed.TotalSeconds:F1} s at {Concurrency} concurrent calls; " +
            $"p50 {Ms(all[all.Length / 2]):F2} ms, p99 {Ms(all[(int)(all.Length * 0.99)]):F2} ms, max {Ms(all[^1]):F2} ms; {all.Length} calls, {errors} errors; " +
            $"process CPU {cpu.TotalMicroseconds / Math.Max(1, all.Length):F0} µs per call (client + server)"));
    }

    private static async Task StreamAsync(TestService.TestServiceClient client, TimeSpan duration, bool print)
    {
        var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[StreamMessageBytes - 2]) };
        using var call = client.BidiEcho();
        long sent = 0;
        long received = 0;
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var writer = Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                await call.RequestStream.WriteAsync(request);
                sent++;
            }

            await call.RequestStream.CompleteAsync();
        });
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            received++;
        }

        await writer;
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        if (print)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bidi stream: {received / elapsed.TotalSeconds:F0} messages/s echoed on one stream ({request.CalculateSize()}-byte messages), " +
                $"{sent} sent, {received} received in {elapsed.TotalSeconds:F1} s; status {call.GetStatus().StatusCode}; " +
                $"process CPU {cpu.TotalNanoseconds / Math.Max(1, received):F0} ns per message"));
        }
    }
}
