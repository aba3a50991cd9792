using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Quoncept.V1;

namespace Quoncept.Benchmarks.Idle;

/// <summary>One logged-in client on its own HTTP/2 connection (from <c>source</c>), reading everything it is sent.</summary>
internal sealed class IdleClient : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<ClientMessage, ServerMessage> _call;
    private readonly SemaphoreSlim _write = new(1, 1);
    private long _requests;

    private IdleClient(GrpcChannel channel, AsyncDuplexStreamingCall<ClientMessage, ServerMessage> call)
    {
        _channel = channel;
        _call = call;
    }

    /// <summary>Completes when the server ends the stream.</summary>
    public Task Ended { get; private set; } = Task.CompletedTask;

    public static async Task<IdleClient> LogInAsync(Uri gateway, string username, IPAddress source, Action<ServerMessage> onMessage)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var channel = GrpcChannel.ForAddress(gateway, new GrpcChannelOptions { HttpHandler = handler });
        try
        {
            var client = new Gateway.GatewayClient(channel);
            var session = await client.CreateSessionAsync(new CreateSessionRequest { Username = username }, deadline: DateTime.UtcNow.AddSeconds(60));
            var call = client.Connect(new Metadata { { "authorization", "Bearer " + session.Token }, { "connection-id", "idle-" + username } });
            var idle = new IdleClient(channel, call);
            var loggedIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle.Ended = Task.Run(async () =>
            {
                try
                {
                    await foreach (var m in call.ResponseStream.ReadAllAsync())
                    {
                        if (m.BodyCase == ServerMessage.BodyOneofCase.LoginResult) loggedIn.TrySetResult();
                        else if (m.BodyCase == ServerMessage.BodyOneofCase.Error && m.RequestId == "login") loggedIn.TrySetException(new InvalidOperationException($"login of {username}: {m.Error.Message}"));
                        onMessage(m);
                    }
                }
                catch (RpcException)
                {
                }
                loggedIn.TrySetException(new InvalidOperationException($"the stream of {username} ended before its login was answered"));
            });
            await idle.SendAsync(new ClientMessage { RequestId = "login", Login = new Login() });
            await loggedIn.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return idle;
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    public Task ChatAsync(string text) => SendAsync(new ClientMessage { RequestId = "c" + Interlocked.Increment(ref _requests), Chat = new Chat { Text = text } });

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
        }
        _call.Dispose();
        _channel.Dispose();
    }

    private async Task SendAsync(ClientMessage message)
    {
        await _write.WaitAsync();
        try
        {
            await _call.RequestStream.WriteAsync(message);
        }
        finally
        {
            _write.Release();
        }
    }
}
