using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Quoncept.Grpc;

/// <summary>
/// One call on the server: its headers, deadline, the single cancellation token (client abort +
/// deadline), and the response state that decides between Trailers-Only and a normal ending.
/// </summary>
internal sealed class HttpServerCallContext : ServerCallContext, IDisposable
{
    // CancellationTokenSource.CancelAfter accepts at most ~49.7 days.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly HttpContext _http;
    private readonly string _method;
    private CancellationTokenSource? _callSource;
    private CancellationToken _serverStopping;
    private CancellationToken _token;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private Dictionary<object, object>? _userState;
    private DateTime _deadline = DateTime.MaxValue;

    public HttpServerCallContext(HttpContext http, GrpcServiceOptions options, string method)
    {
        _http = http;
        _method = method;
        Options = options;
        _token = http.RequestAborted;
    }

    public GrpcServiceOptions Options { get; }

    /// <summary>The request's grpc-encoding (null = identity).</summary>
    public string? RequestEncoding { get; private set; }

    public bool CompressResponses { get; private set; }

    /// <summary>True once a response message has been written (even unflushed): no Trailers-Only after that.</summary>
    public bool MessageWritten { get; set; }

    /// <summary>Set when the status has been written; later writes fail.</summary>
    public bool Ended { get; set; }

    public bool DeadlineExceeded =>
        _callSource is { IsCancellationRequested: true } && !_http.RequestAborted.IsCancellationRequested && !_serverStopping.IsCancellationRequested;

    /// <summary>The host is shutting down and ended this (streaming) call.</summary>
    public bool ServerStopping => _serverStopping.IsCancellationRequested && !_http.RequestAborted.IsCancellationRequested;

    public override string Method => _method;

    public override string Host => _http.Request.Host.Value ?? "";

    public override string Peer => FormatPeer(_http.Connection.RemoteIpAddress, _http.Connection.RemotePort);

    public override DateTime Deadline => _deadline;

    public override Metadata RequestHeaders => _requestHeaders ??= MetadataHeaders.FromHeaders(_http.Request.Headers);

    public override CancellationToken CancellationToken => _token;

    public override Metadata ResponseTrailers => _responseTrailers ??= [];

    public Metadata? ResponseTrailersIfAny => _responseTrailers;

    public override Status Status { get; set; } = Status.DefaultSuccess;

    public override IDictionary<object, object> UserState => _userState ??= [];

    public HttpContext HttpContext => _http;

    public override HttpContext GetHttpContext() => _http;

    /// <summary>
    /// Reads grpc-timeout and grpc-encoding (a bad value throws RpcException) and builds the call's
    /// one token: client abort, deadline and, for streams, host shutdown (so long-lived streams end
    /// with UNAVAILABLE instead of holding shutdown until its timeout).
    /// </summary>
    public void Initialize(CancellationToken serverStopping)
    {
        _serverStopping = serverStopping;
        var headers = _http.Request.Headers;
        var timeoutHeader = headers[GrpcProtocol.TimeoutHeader];
        if (timeoutHeader.Count > 0)
        {
            if (!GrpcTimeout.TryParse(timeoutHeader.ToString(), out var timeout))
            {
                throw new RpcException(new Status(StatusCode.Internal, $"Invalid grpc-timeout '{timeoutHeader}': expected 1-8 digits and a unit H, M, S, m, u or n."));
            }

            _deadline = DateTime.UtcNow + timeout;
            if (timeout < LongestTimer)
            {
                _callSource = LinkedSource();
                _callSource.CancelAfter(timeout);
            }
        }

        if (_callSource is null && serverStopping.CanBeCanceled)
        {
            _callSource = LinkedSource();
        }

        if (_callSource is not null)
        {
            _token = _callSource.Token;
        }

        var encoding = headers[GrpcProtocol.EncodingHeader].ToString();
        if (encoding.Length > 0)
        {
            if (!GrpcProtocol.IsSupportedEncoding(encoding))
            {
                throw new RpcException(new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'. Supported: {GrpcProtocol.SupportedEncodings}."));
            }

            RequestEncoding = encoding.ToLowerInvariant();
        }

        CompressResponses = string.Equals(Options.ResponseCompressionAlgorithm, GrpcProtocol.Gzip, StringComparison.OrdinalIgnoreCase) &&
            GrpcProtocol.AcceptsEncoding(headers[GrpcProtocol.AcceptEncodingHeader].ToString(), GrpcProtocol.Gzip);
    }

    /// <summary>Sets the status line and gRPC headers of a normal (not Trailers-Only) response.</summary>
    public void PrepareResponseHeaders()
    {
        var response = _http.Response;
        if (response.HasStarted || MessageWritten)
        {
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
        if (CompressResponses)
        {
            response.Headers[GrpcProtocol.EncodingHeader] = GrpcProtocol.Gzip;
        }
    }

    public override async Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        if (_http.Response.HasStarted || MessageWritten || Ended)
        {
            throw new InvalidOperationException("Response headers can only be sent once per call, before the first message.");
        }

        PrepareResponseHeaders();
        MetadataHeaders.WriteTo(responseHeaders, _http.Response.Headers);
        await _http.Response.StartAsync(_token).ConfigureAwait(false);
        // StartAsync only queues the HEADERS frame; a handler that announces something with headers
        // (e.g. "admitted") and then waits for the client would otherwise wait forever. grpc-dotnet flushes too.
        await _http.Response.BodyWriter.FlushAsync(_token).ConfigureAwait(false);
    }

    public void Dispose() => _callSource?.Dispose();

    private CancellationTokenSource LinkedSource() => _serverStopping.CanBeCanceled
        ? CancellationTokenSource.CreateLinkedTokenSource(_http.RequestAborted, _serverStopping)
        : CancellationTokenSource.CreateLinkedTokenSource(_http.RequestAborted);

    private static string FormatPeer(IPAddress? address, int port) => address switch
    {
        null => "unknown",
        { AddressFamily: AddressFamily.InterNetworkV6 } => $"ipv6:[{address}]:{port}",
        _ => $"ipv4:{address}:{port}",
    };
}
