using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Quoncept.Grpc;

/// <summary>
/// One client call over HttpClient: sends the request, reads headers, messages and trailers,
/// and ends with exactly one status. One CancellationTokenSource per call carries the caller's
/// token, the deadline and Dispose; cancelling it resets the HTTP/2 stream (RST_STREAM).
/// </summary>
internal sealed class ClientCall<TRequest, TResponse> : IDisposable
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private const int NotCancelled = 0;
    private const int CancelledByCaller = 1;
    private const int EndedByCall = 2;

    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _cts = new();
    private readonly object _gate = new();
    private CancellationTokenRegistration _callerRegistration;
    private int _cancelReason;
    private Task _started = Task.CompletedTask;
    private HttpResponseMessage? _response;
    private MessageReader? _reader;
    private StreamingRequestContent? _content;
    private volatile Outcome? _outcome;
    private Metadata? _responseHeaders;

    public ClientCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        var compression = options.Headers?.GetValue(ClientRequest.CompressionMetadataKey) ?? channel.RequestCompressionAlgorithm;
        CompressRequests = string.Equals(compression, GrpcProtocol.Gzip, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Built on demand: most callers never look at response headers.</summary>
    public async Task<Metadata> GetResponseHeadersAsync()
    {
        await _started.ConfigureAwait(false);
        if (_responseHeaders is not null)
        {
            return _responseHeaders;
        }

        if (_response is null)
        {
            var outcome = _outcome!;
            throw new RpcException(outcome.Status, outcome.Trailers);
        }

        return _responseHeaders = MetadataHeaders.FromHeaders(_response.Headers);
    }

    public IAsyncStreamReader<TResponse> ResponseStream => field ??= new ClientResponseStream<TRequest, TResponse>(this);

    public bool CompressRequests { get; }

    public int MaxSendSize => _channel.MaxSendMessageSize;

    public CancellationToken CallToken => _cts.Token;

    public void StartWithRequest(TRequest request)
    {
        var frame = new ArrayBufferWriter<byte>(request.CalculateSize() + GrpcProtocol.HeaderSize);
        try
        {
            MessageWriter.Write(frame, request, _channel.MaxSendMessageSize, CompressRequests);
        }
        catch (RpcException ex)
        {
            EndWithoutSending(ex.Status);
            return;
        }

        var content = new ReadOnlyMemoryContent(frame.WrittenMemory);
        content.Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);
        Send(content);
    }

    public IClientStreamWriter<TRequest> StartStreaming()
    {
        _content = new StreamingRequestContent();
        var writer = new ClientRequestStream<TRequest, TResponse>(this, _content);
        Send(_content);
        return writer;
    }

    private void Send(HttpContent content)
    {
        TimeSpan? timeout = null;
        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            timeout = deadline.ToUniversalTime() - DateTime.UtcNow;
            if (timeout <= TimeSpan.Zero)
            {
                EndWithoutSending(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
                return;
            }
        }

        var request = ClientRequest.Create(_channel.UriFor(_method.FullName), content, _options.Headers, timeout, CompressRequests);
        if (timeout is { } t)
        {
            _cts.CancelAfter(t);
        }

        if (_options.CancellationToken.CanBeCanceled)
        {
            _callerRegistration = _options.CancellationToken.UnsafeRegister(static s => ((ClientCall<TRequest, TResponse>)s!).Cancel(CancelledByCaller), this);
        }

        _started = StartAsync(request);
    }

    /// <summary>Sends the request and reads the response headers; Trailers-Only and HTTP errors end the call here.</summary>
    private async Task StartAsync(HttpRequestMessage request)
    {
        try
        {
            var response = _channel.Invoker is HttpClient client
                ? await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _cts.Token).ConfigureAwait(false)
                : await _channel.Invoker.SendAsync(request, _cts.Token).ConfigureAwait(false);
            _response = response;
            if (ClientStatus.FromResponseHeaders(response) is { } status)
            {
                var metadata = _responseHeaders = MetadataHeaders.FromHeaders(response.Headers);
                if (status.StatusCode == StatusCode.OK && _method.Type is MethodType.Unary or MethodType.ClientStreaming)
                {
                    status = new Status(StatusCode.Internal, "The call ended with OK but without a response message.");
                }

                End(status, metadata);
                return;
            }

            var encoding = response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var encodings) ? encodings.FirstOrDefault() : null;
            if (encoding is not null && !GrpcProtocol.IsSupportedEncoding(encoding))
            {
                throw new RpcException(new Status(StatusCode.Internal, $"The server used grpc-encoding '{encoding}', which this client does not support."));
            }

            var body = await response.Content.ReadAsStreamAsync(_cts.Token).ConfigureAwait(false);
            _reader = new MessageReader(PipeReader.Create(body), _channel.MaxReceiveMessageSize, encoding);
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    /// <summary>Unary and client-streaming responses: exactly one message, then the status.</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        await _started.ConfigureAwait(false);
        ThrowIfEnded();
        TResponse? message;
        TResponse? extra = null;
        try
        {
            message = await _reader!.ReadAsync(_method.ResponseParser, _cts.Token).ConfigureAwait(false);
            if (message is not null)
            {
                extra = await _reader.ReadAsync(_method.ResponseParser, _cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            throw Fail(ex);
        }

        if (extra is not null)
        {
            throw Fail(new RpcException(new Status(StatusCode.Internal, "The server sent more than one response message to a call that takes one.")));
        }

        EndFromTrailers(expectOneMessage: true, gotMessage: message is not null);
        ThrowIfEnded();
        return message!;
    }

    /// <summary>The next response message, or null once the call ended with OK.</summary>
    public async Task<TResponse?> ReadNextResponseAsync()
    {
        await _started.ConfigureAwait(false);
        if (_outcome is not null)
        {
            ThrowIfEnded();
            return null;
        }

        TResponse? message;
        try
        {
            message = await _reader!.ReadAsync(_method.ResponseParser, _cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Fail(ex);
        }

        if (message is null)
        {
            EndFromTrailers(expectOneMessage: false, gotMessage: false);
            ThrowIfEnded();
        }

        return message;
    }

    /// <summary>Throws the call's RpcException if it ended with an error.</summary>
    public void ThrowIfEnded()
    {
        if (_outcome is { Status.StatusCode: not StatusCode.OK } outcome)
        {
            throw new RpcException(outcome.Status, outcome.Trailers);
        }
    }

    /// <summary>Turns any failure into the call's final status (first one wins) and its RpcException.</summary>
    public RpcException Fail(Exception exception)
    {
        if (_outcome is null)
        {
            Status status;
            if (_cancelReason == CancelledByCaller)
            {
                status = new Status(StatusCode.Cancelled, "Call canceled by the client.");
            }
            else if (_cancelReason == NotCancelled && _cts.IsCancellationRequested)
            {
                status = new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
            }
            else
            {
                status = ClientStatus.FromException(exception);
            }

            End(status, Metadata.Empty);
        }

        var outcome = _outcome!;
        return new RpcException(outcome.Status, outcome.Trailers);
    }

    private void EndFromTrailers(bool expectOneMessage, bool gotMessage)
    {
        _reader!.Complete();
        var trailers = _response!.TrailingHeaders;
        var status = ClientStatus.Parse(trailers) ?? new Status(StatusCode.Unknown, "The response ended without a grpc-status trailer.");
        if (expectOneMessage && !gotMessage && status.StatusCode == StatusCode.OK)
        {
            status = new Status(StatusCode.Internal, "The call ended with OK but without a response message.");
        }

        Metadata metadata;
        try
        {
            metadata = ClientStatus.HasCustomMetadata(trailers) ? MetadataHeaders.FromHeaders(trailers) : Metadata.Empty;
        }
        catch (RpcException ex)
        {
            status = ex.Status;
            metadata = Metadata.Empty;
        }

        End(status, metadata);
    }

    private void EndWithoutSending(Status status)
    {
        End(status, Metadata.Empty);
    }

    /// <summary>Records the final status once, then releases everything still tied to the call.</summary>
    private void End(Status status, Metadata trailers)
    {
        lock (_gate)
        {
            if (_outcome is not null)
            {
                return;
            }

            _outcome = new Outcome(status, trailers);
        }

        _callerRegistration.Dispose();
        _content?.Abort();
        if (Interlocked.CompareExchange(ref _cancelReason, EndedByCall, NotCancelled) == NotCancelled)
        {
            if (status.StatusCode == StatusCode.OK)
            {
                _cts.CancelAfter(Timeout.InfiniteTimeSpan);
                _response?.Dispose();
            }
            else
            {
                _cts.Cancel();
            }
        }
    }

    public CancellationTokenRegistration CancelOn(CancellationToken token) =>
        token.CanBeCanceled
            ? token.UnsafeRegister(static s => ((ClientCall<TRequest, TResponse>)s!).Cancel(CancelledByCaller), this)
            : default;

    private void Cancel(int reason)
    {
        if (Interlocked.CompareExchange(ref _cancelReason, reason, NotCancelled) == NotCancelled)
        {
            _cts.Cancel();
        }
    }

    public Status GetStatus() => _outcome?.Status ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    public Metadata GetTrailers() => _outcome?.Trailers ?? throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");

    public void Dispose()
    {
        if (_outcome is null)
        {
            Cancel(CancelledByCaller);
            Fail(new OperationCanceledException());
        }

        _response?.Dispose();
    }

    /// <summary>How the call ended, published as one reference so readers never see half of it.</summary>
    private sealed record Outcome(Status Status, Metadata Trailers);
}
