using System.Buffers;
using Google.Protobuf;

namespace Quoncept.Grpc;

/// <summary>
/// The response stream handed to server-streaming and duplex handlers: one write at a time,
/// frames coalesced by a <see cref="FrameBatcher"/> into the response body.
/// </summary>
internal sealed class HttpResponseStreamWriter<T> : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    private readonly HttpServerCallContext _call;
    private readonly FrameBatcher _batcher;
    private bool _writing;
    private bool _completed;

    public HttpResponseStreamWriter(HttpServerCallContext call)
    {
        _call = call;
        _batcher = new FrameBatcher(SendBatchAsync, call.CancellationToken);
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_completed || _call.Ended)
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
            _call.PrepareResponseHeaders();
            MessageWriter.Write(_batcher.Writer, message, _call.Options.SendLimit, _call.CompressResponses);
            _call.MessageWritten = true;
            await _batcher.CommitAsync().ConfigureAwait(false);
        }
        finally
        {
            _writing = false;
        }
    }

    /// <summary>Sends every buffered message before the status goes out.</summary>
    public Task CompleteAsync()
    {
        _completed = true;
        return _batcher.CompleteAsync();
    }

    private ValueTask SendBatchAsync(ReadOnlySequence<byte> batch, CancellationToken token)
    {
        var body = _call.HttpContext.Response.BodyWriter;
        foreach (var segment in batch)
        {
            body.Write(segment.Span);
        }

        var flush = body.FlushAsync(token);
        return flush.IsCompletedSuccessfully ? default : AwaitFlushAsync(flush);
    }

    private static async ValueTask AwaitFlushAsync(ValueTask<System.IO.Pipelines.FlushResult> flush) => await flush.ConfigureAwait(false);
}
