using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quoncept.Universe.Tests.EndToEnd;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.Client;

/// <summary>
/// A gRPC server on a free loopback port speaking quoncept.v1.Gateway/Connect from a script: each request read is
/// recorded (with the stream's connection id) and answered by <see cref="Answer"/>; a null answer ends the stream after
/// <c>Terminate{shutdown}</c>, as a gateway that is stopping does. For the client library's retry and resume rules.
/// </summary>
internal sealed class ScriptedGateway : Quoncept.V1.Gateway.GatewayBase, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The request and how many times its request id was seen so far (1 = first); null: Terminate{shutdown} and end the stream.</summary>
    public required Func<ClientMessage, int, ServerMessage?> Answer { get; init; }

    public ConcurrentQueue<(string ConnectionId, ClientMessage Request)> Received { get; } = new();

    public Uri Address { get; private set; } = null!;

    public static async Task<ScriptedGateway> StartAsync(Func<ClientMessage, int, ServerMessage?> answer)
    {
        var gateway = new ScriptedGateway { Answer = answer };
        var port = FreePorts.Take(1)[0];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(gateway);
        var app = builder.Build();
        app.MapGrpcService<ScriptedGateway>();
        await app.StartAsync();
        gateway._app = app;
        gateway.Address = new Uri($"http://127.0.0.1:{port}");
        return gateway;
    }

    public override async Task Connect(IAsyncStreamReader<ClientMessage> requestStream, IServerStreamWriter<ServerMessage> responseStream, ServerCallContext context)
    {
        var connectionId = context.RequestHeaders.GetValue("connection-id") ?? "";
        await context.WriteResponseHeadersAsync(new Metadata { { "quoncept-admitted", "true" } });
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            Received.Enqueue((connectionId, request));
            var seen = Received.Count(r => r.Request.RequestId == request.RequestId);
            if (Answer(request, seen) is not { } reply)
            {
                await responseStream.WriteAsync(new ServerMessage { Terminate = new Terminate { Reason = "shutdown", Message = "this gateway is shutting down" } });
                return;
            }
            reply.RequestId = request.RequestId;
            await responseStream.WriteAsync(reply);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
