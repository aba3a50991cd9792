using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using Quoncept.V1;

namespace Quoncept.Client;

/// <summary>
/// One live Connect stream of a session: typed requests answered by request id (with their
/// round-trip latency), live events on <see cref="Events"/>, and <see cref="ReconnectAsync"/>
/// reopening the stream with the same connection id. Requests may be sent from any thread.
/// </summary>
public sealed partial class QuonceptConnection : IAsyncDisposable
{
    private const string AdmittedHeader = "quoncept-admitted";
    private Gateway.GatewayClient _gateway;
    private readonly string _token;
    private readonly ConnectionOptions _options;
    private readonly Channel<LiveEvent> _events;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ServerMessage>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly string _requestPrefix = Guid.NewGuid().ToString("N")[..8] + "-";
    private long _requestCounter;
    private OpenStream? _stream;
    private volatile bool _loggedIn;
    private volatile bool _disposed;
    private QuonceptClient _origin;
    private long _endedAt;

    internal QuonceptConnection(QuonceptClient gateway, string token, string connectionId, ConnectionOptions options)
    {
        options.Retry?.Check();
        _origin = gateway;
        _gateway = gateway.Stub;
        GatewayAddress = gateway.Address;
        _token = token;
        _options = options;
        ConnectionId = connectionId;
        _events = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(options.EventCapacity) { SingleReader = false, SingleWriter = true });
    }

    public string ConnectionId { get; }

    /// <summary>The gateway the current (or last) stream went through.</summary>
    public Uri GatewayAddress { get; private set; }

    /// <summary>
    /// True when the server ended the stream because its gateway is stopping (<c>Terminate{reason: "shutdown"}</c>):
    /// reconnect through another gateway (<see cref="ReconnectAsync(QuonceptClient, CancellationToken)"/>) within the grace period.
    /// </summary>
    public bool GatewayShuttingDown => Terminated?.Reason == "shutdown";

    /// <summary>Arrivals, departures, chat, Terminate and stream ends, in the order received.</summary>
    public ChannelReader<LiveEvent> Events => _events.Reader;

    /// <summary>The Terminate the server sent, if it ended this connection.</summary>
    public Terminate? Terminated { get; private set; }

    /// <summary>Completes (with the final status) when the current stream ends, for whatever reason.</summary>
    public Task<Status> StreamEnded => _stream?.Ended ?? Task.FromResult(new Status(StatusCode.Unavailable, "not connected"));

    public async Task<Answer<LoginResult>> LoginAsync(CancellationToken cancellationToken = default)
    {
        var answer = await RequestAsync(new ClientMessage { Login = new Login() }, ServerMessage.BodyOneofCase.LoginResult, cancellationToken).ConfigureAwait(false);
        _loggedIn = true;
        return new(answer.Value.LoginResult, answer.Latency) { TraceId = answer.TraceId };
    }

    public async Task<Answer<LogoutResult>> LogoutAsync(CancellationToken cancellationToken = default)
    {
        var answer = await RequestAsync(new ClientMessage { Logout = new Logout() }, ServerMessage.BodyOneofCase.LogoutResult, cancellationToken).ConfigureAwait(false);
        _loggedIn = false;
        return new(answer.Value.LogoutResult, answer.Latency) { TraceId = answer.TraceId };
    }

    public async Task<Answer<MoveResult>> MoveAsync(string toSystemId, CancellationToken cancellationToken = default)
    {
        var answer = await RequestAsync(new ClientMessage { Move = new Move { ToSystemId = toSystemId } }, ServerMessage.BodyOneofCase.MoveResult, cancellationToken).ConfigureAwait(false);
        return new(answer.Value.MoveResult, answer.Latency) { TraceId = answer.TraceId };
    }

    public async Task<Answer<ChatResult>> ChatAsync(string text, CancellationToken cancellationToken = default)
    {
        var answer = await RequestAsync(new ClientMessage { Chat = new Chat { Text = text } }, ServerMessage.BodyOneofCase.ChatResult, cancellationToken).ConfigureAwait(false);
        return new(answer.Value.ChatResult, answer.Latency) { TraceId = answer.TraceId };
    }

    public async Task<Answer<Pong>> PingAsync(CancellationToken cancellationToken = default)
    {
        var ping = new Ping { ClientTimeUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        var answer = await RequestAsync(new ClientMessage { Ping = ping }, ServerMessage.BodyOneofCase.Pong, cancellationToken).ConfigureAwait(false);
        return new(answer.Value.Pong, answer.Latency) { TraceId = answer.TraceId };
    }

    /// <summary>
    /// Sends any client message (a request id is assigned when empty) and returns the server's
    /// answer as it came, Error included: for callers that need the raw protocol, e.g. repeating a request id.
    /// </summary>
    public async Task<Answer<ServerMessage>> SendAsync(ClientMessage message, CancellationToken cancellationToken = default)
    {
        var stream = _stream ?? throw new InvalidOperationException("The connection is not open.");
        if (message.RequestId.Length == 0) message.RequestId = _requestPrefix + Interlocked.Increment(ref _requestCounter);
        var answer = new TaskCompletionSource<ServerMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(message.RequestId, answer)) throw new InvalidOperationException($"Request {message.RequestId} is already waiting for its answer.");
        var (span, traceParent, traceState) = ClientTracing.Start($"quoncept.v1.Gateway/Connect {ClientMessage.Descriptor.FindFieldByNumber((int)message.BodyCase)?.Name}", _options.Trace);
        ClientTracing.Stamp(message, traceParent, traceState);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Not the caller's token: Grpc.Net.Client cancels the whole call when a write is cancelled,
                // and one request given up must not end the stream for the others. The answer's wait below honours it.
                await stream.Call.RequestStream.WriteAsync(message).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
            var reply = await answer.Task.WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            if (reply.BodyCase == ServerMessage.BodyOneofCase.Error) span?.SetStatus(ActivityStatusCode.Error, reply.Error.Code.ToString());
            return new(reply, Stopwatch.GetElapsedTime(started)) { TraceId = ClientTracing.TraceIdOf(traceParent) };
        }
        finally
        {
            _pending.TryRemove(new KeyValuePair<string, TaskCompletionSource<ServerMessage>>(message.RequestId, answer));
            span?.Dispose();
        }
    }

    /// <summary>
    /// Opens a new stream with the same connection id (within the grace period the session resumes
    /// and nobody sees a departure). When the character was logged in, logs in again, which only
    /// answers the current snapshot, and returns it.
    /// </summary>
    public async Task<Answer<LoginResult>?> ReconnectAsync(CancellationToken cancellationToken = default)
    {
        await DropAsync().ConfigureAwait(false);
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        return _loggedIn ? await LoginAsync(cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>
    /// As <see cref="ReconnectAsync(CancellationToken)"/>, through another gateway (any replica serves any
    /// session): what a client does when its gateway stops (<see cref="GatewayShuttingDown"/>) or cannot be
    /// reached. Within the grace period the session resumes there and nobody sees a departure.
    /// </summary>
    public async Task<Answer<LoginResult>?> ReconnectAsync(QuonceptClient via, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(via);
        await DropAsync().ConfigureAwait(false);
        await OpenThroughAsync(via, cancellationToken).ConfigureAwait(false);
        return _loggedIn ? await LoginAsync(cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>Abandons the stream without a goodbye, as a lost network would.</summary>
    public async Task DropAsync()
    {
        if (Interlocked.Exchange(ref _stream, null) is not { } stream) return;
        await stream.Cancellation.CancelAsync().ConfigureAwait(false);
        await ((Task)stream.Ended).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stream.Call.Dispose();
        stream.Cancellation.Dispose();
    }

    /// <summary>Ends the stream politely (half-close) and stops the events.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_stream is { } stream)
        {
            try
            {
                await _writeLock.WaitAsync().ConfigureAwait(false);
                try
                {
                    await stream.Call.RequestStream.CompleteAsync().ConfigureAwait(false);
                }
                finally
                {
                    _writeLock.Release();
                }
                await stream.Ended.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RpcException or TimeoutException or InvalidOperationException or IOException or OperationCanceledException)
            {
            }
        }
        await DropAsync().ConfigureAwait(false);
        _events.Writer.TryComplete();
    }

    internal async Task OpenAsync(CancellationToken cancellationToken)
    {
        var headers = new Metadata { { "authorization", "Bearer " + _token }, { "connection-id", ConnectionId } };
        // The stream's own trace (admission: token check, session attach); its requests each get one of their own.
        var (span, traceParent, traceState) = ClientTracing.Start("quoncept.v1.Gateway/Connect", _options.Trace);
        using var connectSpan = span;
        foreach (var header in ClientTracing.Headers(traceParent, traceState) ?? []) headers.Add(header);
        var cancellation = new CancellationTokenSource();
        var call = _gateway.Connect(new CallOptions(headers, cancellationToken: cancellation.Token));
        try
        {
            // An admitted stream's headers say so (gateway.proto); a refused one is Trailers-Only, and reading
            // it throws the refusal's status at once.
            var answered = await call.ResponseHeadersAsync.WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            if (answered.GetValue(AdmittedHeader) is null)
            {
                await call.ResponseStream.MoveNext(cancellationToken).WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
                throw new RpcException(new Status(StatusCode.Internal, "the gateway neither admitted nor refused the stream"));
            }
        }
        catch
        {
            call.Dispose();
            cancellation.Dispose();
            throw;
        }
        var ended = new TaskCompletionSource<Status>(TaskCreationOptions.RunContinuationsAsynchronously);
        _stream = new OpenStream(call, cancellation, ended.Task);
        _ = ReadAsync(call, ended, cancellation.Token);
    }

    /// <summary>The one read loop of a stream: answers to their requests, everything else to <see cref="Events"/>.</summary>
    private async Task ReadAsync(AsyncDuplexStreamingCall<ClientMessage, ServerMessage> call, TaskCompletionSource<Status> ended, CancellationToken cancellationToken)
    {
        Status end;
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var message = call.ResponseStream.Current;
                var received = Stopwatch.GetTimestamp();
                if (message.RequestId.Length > 0 && _pending.TryGetValue(message.RequestId, out var waiting))
                {
                    waiting.TrySetResult(message);
                    continue;
                }
                if (message.BodyCase == ServerMessage.BodyOneofCase.Terminate) Terminated = message.Terminate;
                await _events.Writer.WriteAsync(new LiveEvent(message, null, received), cancellationToken).ConfigureAwait(false);
            }
            end = call.GetStatus();
        }
        catch (RpcException e)
        {
            end = e.Status;
        }
        catch (OperationCanceledException)
        {
            end = new Status(StatusCode.Cancelled, "the stream was dropped by this client");
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException or ChannelClosedException)
        {
            end = new Status(StatusCode.Unavailable, e.Message);
        }
        foreach (var pending in _pending.Values) pending.TrySetException(new RpcException(end));
        var endedAt = Stopwatch.GetTimestamp();
        Interlocked.Exchange(ref _endedAt, endedAt);
        _events.Writer.TryWrite(new LiveEvent(null, end, endedAt));
        ended.TrySetResult(end);
        ResumeOnItsOwnIfItsGatewayWent(end);
    }

    private async Task<Answer<ServerMessage>> RequestAsync(ClientMessage message, ServerMessage.BodyOneofCase expected, CancellationToken cancellationToken)
    {
        var answer = _options.Retry is { } retry
            ? await SendRetryingAsync(message, retry, cancellationToken).ConfigureAwait(false)
            : await SendAsync(message, cancellationToken).ConfigureAwait(false);
        var reply = answer.Value;
        if (reply.BodyCase == ServerMessage.BodyOneofCase.Error) throw new RequestFailedException(reply.RequestId, reply.Error.Code, reply.Error.Message);
        if (reply.BodyCase != expected) throw new RequestFailedException(reply.RequestId, ErrorCode.Internal, $"expected {expected}, the gateway answered {reply.BodyCase}");
        return answer;
    }

    private sealed record OpenStream(AsyncDuplexStreamingCall<ClientMessage, ServerMessage> Call, CancellationTokenSource Cancellation, Task<Status> Ended);
}
