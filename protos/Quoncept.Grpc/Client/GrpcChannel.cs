using System.Collections.Concurrent;
using Google.Protobuf;

namespace Quoncept.Grpc;

/// <summary>
/// A client channel to one server address over HttpClient: h2c with prior knowledge for
/// http://, TLS with ALPN h2 for https://. It is also the CallInvoker that starts calls.
/// </summary>
public sealed class GrpcChannel : CallInvoker, IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly bool _disposeInvoker;
    private readonly ConcurrentDictionary<string, Uri> _methodUris = new(StringComparer.Ordinal);

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"Address '{address}' must be http:// (h2c) or https:// (TLS).", nameof(address));
        }

        Address = address;
        MaxReceiveMessageSize = options.MaxReceiveMessageSize ?? int.MaxValue;
        MaxSendMessageSize = options.MaxSendMessageSize ?? int.MaxValue;
        RequestCompressionAlgorithm = options.RequestCompressionAlgorithm;
        if (RequestCompressionAlgorithm is not null && !GrpcProtocol.IsSupportedEncoding(RequestCompressionAlgorithm))
        {
            throw new ArgumentException($"Request compression '{RequestCompressionAlgorithm}' is not supported ({GrpcProtocol.SupportedEncodings}).", nameof(options));
        }

        if (options.HttpClient is not null)
        {
            _invoker = options.HttpClient;
            _disposeInvoker = options.DisposeHttpClient;
        }
        else if (options.HttpHandler is not null)
        {
            _invoker = new HttpMessageInvoker(options.HttpHandler, options.DisposeHttpClient);
            _disposeInvoker = true;
        }
        else
        {
            _invoker = new HttpMessageInvoker(new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            });
            _disposeInvoker = true;
        }
    }

    public Uri Address { get; }

    internal int MaxReceiveMessageSize { get; }

    internal int MaxSendMessageSize { get; }

    internal string? RequestCompressionAlgorithm { get; }

    internal HttpMessageInvoker Invoker => _invoker;

    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) =>
        ForAddress(new Uri(address, UriKind.Absolute), options);

    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    public CallInvoker CreateCallInvoker() => this;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.StartWithRequest(request);
        return new AsyncUnaryCall<TResponse>(call.ReadSingleResponseAsync(), call.GetResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.StartWithRequest(request);
        return new AsyncServerStreamingCall<TResponse>(call.ResponseStream, call.GetResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        var requests = call.StartStreaming();
        return new AsyncClientStreamingCall<TRequest, TResponse>(requests, call.ReadSingleResponseAsync(), call.GetResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        var requests = call.StartStreaming();
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(requests, call.ResponseStream, call.GetResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    internal Uri UriFor(string fullName) => _methodUris.GetOrAdd(fullName, static (name, baseAddress) => new Uri(baseAddress, name), Address);

    public void Dispose()
    {
        if (_disposeInvoker)
        {
            _invoker.Dispose();
        }
    }
}
