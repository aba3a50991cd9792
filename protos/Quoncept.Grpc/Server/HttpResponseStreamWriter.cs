using Google.Protobuf;

namespace Quoncept.Grpc;

/// <summary>The response stream handed to server-streaming and duplex handlers: one write at a time.</summary>
internal sealed class HttpResponseStreamWriter<T> : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    private readonly HttpServerCallContext _call;
    private bool _writing;

    public HttpResponseStreamWriter(HttpServerCallContext call)
    {
        _call = call;
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_call.Ended)
        {
            throw new InvalidOperationException("Can't write the message: the call is complete.");
        }

        if (_writing)
        {
            throw new InvalidOperationException("Can't write the message: the previous write is still in progress.");
        }

        _call.CancellationToken.ThrowIfCancellationRequested();
        cancellationToken.ThrowIfCancellationRequested();
        _writing = true;
        try
        {
            ServerMessageOutput.Write(_call, message);
            await _call.HttpContext.Response.BodyWriter.FlushAsync(_call.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writing = false;
        }
    }
}
