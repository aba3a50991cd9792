using Google.Protobuf;

namespace Quoncept.Grpc;

/// <summary>The request stream handed to client-streaming and duplex handlers.</summary>
internal sealed class HttpRequestStreamReader<T> : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    private readonly HttpServerCallContext _call;
    private readonly MessageReader _reader;
    private readonly MessageParser<T> _parser;
    private T? _current;

    public HttpRequestStreamReader(HttpServerCallContext call, MessageReader reader, MessageParser<T> parser)
    {
        _call = call;
        _reader = reader;
        _parser = parser;
    }

    public T Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first, and only use Current while it returns true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        var callToken = _call.CancellationToken;
        if (!cancellationToken.CanBeCanceled || cancellationToken == callToken)
        {
            _current = await _reader.ReadAsync(_parser, callToken).ConfigureAwait(false);
        }
        else
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, cancellationToken);
            _current = await _reader.ReadAsync(_parser, linked.Token).ConfigureAwait(false);
        }

        return _current is not null;
    }
}
