using Google.Protobuf;

namespace Quoncept.Grpc;

/// <summary>The response stream of a server-streaming or duplex call.</summary>
internal sealed class ClientResponseStream<TRequest, TResponse> : IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly ClientCall<TRequest, TResponse> _call;
    private TResponse? _current;

    public ClientResponseStream(ClientCall<TRequest, TResponse> call)
    {
        _call = call;
    }

    public TResponse Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first, and only use Current while it returns true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        using var registration = _call.CancelOn(cancellationToken);
        _current = await _call.ReadNextResponseAsync().ConfigureAwait(false);
        return _current is not null;
    }
}
