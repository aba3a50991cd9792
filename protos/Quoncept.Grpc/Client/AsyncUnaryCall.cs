using System.Runtime.CompilerServices;

namespace Quoncept.Grpc;

/// <summary>A unary call in flight. Dispose cancels it if it has not finished.</summary>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly Func<Status> _getStatus;
    private readonly Func<Metadata> _getTrailers;
    private readonly Action _dispose;

    public AsyncUnaryCall(Task<TResponse> responseAsync, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
    {
        ResponseAsync = responseAsync;
        ResponseHeadersAsync = responseHeadersAsync;
        _getStatus = getStatusFunc;
        _getTrailers = getTrailersFunc;
        _dispose = disposeAction;
    }

    public Task<TResponse> ResponseAsync { get; }

    public Task<Metadata> ResponseHeadersAsync { get; }

    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>The final status; throws InvalidOperationException while the call is running.</summary>
    public Status GetStatus() => _getStatus();

    /// <summary>The trailers; throws InvalidOperationException while the call is running.</summary>
    public Metadata GetTrailers() => _getTrailers();

    public void Dispose() => _dispose();
}
