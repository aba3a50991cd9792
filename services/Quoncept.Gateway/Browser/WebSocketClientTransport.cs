using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using Google.Protobuf;
using Quoncept.Gateway.Streams;
using Quoncept.V1;

namespace Quoncept.Gateway.Browser;

/// <summary>
/// A browser's WebSocket as a client transport: every frame one binary protobuf message. A frame
/// that is text, too big, not protobuf, or one too many for the flood limit ends the input and is
/// remembered as <see cref="Violation"/>, the close the socket then gets.
/// </summary>
internal sealed class WebSocketClientTransport(WebSocket socket, BrowserOptions options) : IClientTransport
{
    private readonly int _maxFrameBytes = options.MaxFrameBytes;
    private readonly double _framesPerSecond = options.MaxFramesPerSecond;
    private readonly double _burst = options.FrameBurst;
    private double _allowance = options.FrameBurst;
    private long _lastFrame = Stopwatch.GetTimestamp();

    /// <summary>Why the gateway refused what the client sent; null if it did not.</summary>
    public BrowserClose? Violation { get; private set; }

    /// <summary>The client sent its close frame.</summary>
    public bool ClientClosed { get; private set; }

    /// <summary>The first frame: the hello, or null with <see cref="Violation"/> or <see cref="ClientClosed"/> set.</summary>
    public async ValueTask<BrowserHello?> ReadHelloAsync(CancellationToken cancellationToken) =>
        await ReadAsync(BrowserHello.Parser, "BrowserHello", cancellationToken).ConfigureAwait(false);

    public async ValueTask<ClientMessage?> ReadAsync(CancellationToken cancellationToken) =>
        await ReadAsync(ClientMessage.Parser, "ClientMessage", cancellationToken).ConfigureAwait(false);

    public async Task WriteAsync(OutboundMessage message, bool moreFollow, CancellationToken cancellationToken)
    {
        // Kestrel sends each frame as it is written; there is no hint to hold one back, so moreFollow is not used.
        try
        {
            await socket.SendAsync(message.Bytes, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            throw new IOException("the WebSocket is gone: " + e.Message, e);
        }
    }

    /// <summary>
    /// Closes with <paramref name="close"/> and waits (bounded) for the client's close frame, so the
    /// reason reaches it before the connection ends; a socket that cannot be closed is aborted.
    /// </summary>
    public async Task CloseAsync(BrowserClose close, TimeSpan timeout)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            socket.Abort();
            return;
        }
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await socket.CloseAsync((WebSocketCloseStatus)close.Code, close.WireReason, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException or IOException)
        {
            socket.Abort();
        }
    }

    private async ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, string what, CancellationToken cancellationToken) where T : class, IMessage<T>
    {
        if (Violation is not null || ClientClosed) return null;
        try
        {
            // A zero-byte read waits for the next frame without holding a buffer: an idle socket costs none.
            // It is abandoned, not cancelled, when the wait is cancelled: cancelling a receive aborts the
            // socket, and a terminated connection still has its Terminate and its close to send.
            // CloseAsync takes the abandoned read over.
            var first = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            if (Refuse(first.MessageType)) return null;
            if (!TakeFrameAllowance()) return Refuse<T>(new BrowserClose(BrowserClose.Flood, $"flood: more than {_framesPerSecond} frames a second (burst {_burst})"));
            var buffer = ArrayPool<byte>.Shared.Rent(_maxFrameBytes + 1);
            try
            {
                var length = 0;
                var end = first.EndOfMessage;
                while (!end)
                {
                    var received = await socket.ReceiveAsync(buffer.AsMemory(length, _maxFrameBytes + 1 - length), cancellationToken).ConfigureAwait(false);
                    if (Refuse(received.MessageType)) return null;
                    length += received.Count;
                    if (length > _maxFrameBytes) return Refuse<T>(new BrowserClose(BrowserClose.FrameTooBig, $"a frame may be at most {_maxFrameBytes} bytes"));
                    end = received.EndOfMessage;
                }
                return parser.ParseFrom(buffer, 0, length);
            }
            catch (InvalidProtocolBufferException e)
            {
                return Refuse<T>(new BrowserClose(BrowserClose.NotProtobuf, $"the frame is not a protobuf {what}: {e.Message}"));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (WebSocketException e)
        {
            throw new IOException("the WebSocket is gone: " + e.Message, e);
        }
    }

    /// <summary>A close frame ends the input; a text frame is refused.</summary>
    private bool Refuse(WebSocketMessageType type)
    {
        if (type == WebSocketMessageType.Close) ClientClosed = true;
        else if (type == WebSocketMessageType.Text) Violation = new BrowserClose(BrowserClose.NotBinary, "frames must be binary protobuf: a BrowserHello, then ClientMessages");
        return type != WebSocketMessageType.Binary;
    }

    private T? Refuse<T>(BrowserClose close) where T : class
    {
        Violation = close;
        return null;
    }

    /// <summary>A token bucket: <see cref="BrowserOptions.MaxFramesPerSecond"/> on average, <see cref="BrowserOptions.FrameBurst"/> at once.</summary>
    private bool TakeFrameAllowance()
    {
        var now = Stopwatch.GetTimestamp();
        _allowance = Math.Min(_burst, _allowance + Stopwatch.GetElapsedTime(_lastFrame, now).TotalSeconds * _framesPerSecond);
        _lastFrame = now;
        if (_allowance < 1) return false;
        _allowance -= 1;
        return true;
    }
}
