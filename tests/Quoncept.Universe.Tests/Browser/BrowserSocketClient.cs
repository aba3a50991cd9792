using System.Net.WebSockets;
using Google.Protobuf;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.Browser;

/// <summary>
/// A browser-transport client over System.Net.WebSockets.ClientWebSocket, for the tests: it speaks
/// what a page speaks (subprotocol quoncept.v1, binary protobuf frames), and can also send what a
/// page would not (text, garbage, frames over the limit, a foreign Origin).
/// </summary>
internal sealed class BrowserSocketClient : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket _socket = new();
    private int _requests;

    private BrowserSocketClient()
    {
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public string? CloseReason => _socket.CloseStatusDescription;
    public string? SubProtocol => _socket.SubProtocol;

    public static async Task<BrowserSocketClient> OpenAsync(Uri web, string? origin = null, bool offerSubprotocol = true)
    {
        var client = new BrowserSocketClient();
        if (offerSubprotocol) client._socket.Options.AddSubProtocol("quoncept.v1");
        if (origin is not null) client._socket.Options.SetRequestHeader("Origin", origin);
        using var timeout = new CancellationTokenSource(Wait);
        await client._socket.ConnectAsync(new Uri($"ws://{web.Authority}/ws"), timeout.Token);
        return client;
    }

    /// <summary>Opens a socket and sends the hello; returns once the gateway said Admitted.</summary>
    public static async Task<(BrowserSocketClient Client, Admitted Admitted)> AdmitAsync(Uri web, string token, string connectionId)
    {
        var client = await OpenAsync(web);
        await client.SendAsync(new BrowserHello { Token = token, ConnectionId = connectionId });
        var first = await client.ReceiveAsync() ?? throw new InvalidOperationException($"closed {client.CloseStatus}: {client.CloseReason}");
        Assert.Equal(ServerMessage.BodyOneofCase.Admitted, first.BodyCase);
        return (client, first.Admitted);
    }

    public Task SendAsync(IMessage message) => SendBytesAsync(message.ToByteArray());

    public async Task SendBytesAsync(byte[] frame, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        using var timeout = new CancellationTokenSource(Wait);
        await _socket.SendAsync(frame, type, endOfMessage: true, timeout.Token);
    }

    /// <summary>Sends a request with a fresh request id and returns the answer to it (live events before it are skipped).</summary>
    public async Task<ServerMessage> RequestAsync(ClientMessage request)
    {
        request.RequestId = $"r{Interlocked.Increment(ref _requests)}";
        await SendAsync(request);
        return await NextAsync(m => m.RequestId == request.RequestId, $"the answer to {request.BodyCase}");
    }

    /// <summary>The next message that matches (others are skipped).</summary>
    public async Task<ServerMessage> NextAsync(Func<ServerMessage, bool> match, string what, TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? Wait);
        var skipped = new List<string>();
        try
        {
            while (await ReceiveAsync(timeout.Token) is { } message)
            {
                if (match(message)) return message;
                skipped.Add(message.BodyCase.ToString());
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {what} within {(wait ?? Wait).TotalSeconds} s; saw [{string.Join(", ", skipped)}]");
        }
        throw new InvalidOperationException($"closed {CloseStatus} ({CloseReason}) before {what}; saw [{string.Join(", ", skipped)}]");
    }

    /// <summary>The next server message, or null once the gateway closed the socket.</summary>
    public async Task<ServerMessage?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Wait);
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Answer the close, as a browser does: the gateway waits for it before it drops the connection.
                if (_socket.State == WebSocketState.CloseReceived) await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                return null;
            }
            length += result.Count;
            if (result.EndOfMessage) return ServerMessage.Parser.ParseFrom(buffer, 0, length);
        }
    }

    /// <summary>Reads (and drops) messages until the gateway closes; returns its close code and reason.</summary>
    public async Task<(int Code, string Reason)> ClosedAsync()
    {
        try
        {
            while (await ReceiveAsync() is not null)
            {
            }
        }
        catch (WebSocketException e)
        {
            throw new InvalidOperationException($"the socket broke instead of closing with a reason (state {_socket.State})", e);
        }
        return ((int)_socket.CloseStatus!, _socket.CloseStatusDescription ?? "");
    }

    /// <summary>Drops the TCP connection without a close frame, as a page whose network went away.</summary>
    public void Drop() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        _socket.Dispose();
    }
}
