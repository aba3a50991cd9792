using System.Buffers;
using Google.Protobuf;

namespace Quoncept.Grpc;

/// <summary>
/// The request stream of a client-streaming or duplex call: one write at a time, frames
/// coalesced by a <see cref="FrameBatcher"/> into the HTTP/2 request body.
/// </summary>
internal sealed class ClientRequestStream<TRequest, TResponse> : IClientStreamWriter<TRequest>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly ClientCall<TRequest, TResponse> _call;
    private readonly StreamingRequestContent _content;
    private readonly FrameBatcher _batcher;
    private bool _writing;
    private bool _completed;

    public ClientRequestStream(ClientCall<TRequest, TResponse> call, StreamingRequestContent content)
    {
        _call = call;
        _content = content;
        _batcher = new FrameBatcher(SendBatchAsync, call.CallToken);
    }

    public Task WriteAsync(TRequest message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_completed)
        {
            throw new InvalidOperationException("Can't write the message: the request stream has been completed.");
        }

        if (_writing)
        {
            throw new InvalidOperationException("Can't write the message: the previous write is still in progress.");
        }

        _call.ThrowIfEnded();
        _writing = true;
        try
        {
            using var registration = _call.CancelOn(cancellationToken);
            MessageWriter.Write(_batcher.Writer, message, _call.MaxSendSize, _call.CompressRequests);
            await _batcher.CommitAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw _call.Fail(ex);
        }
        finally
        {
            _writing = false;
        }
    }

    /// <summary>Sends what is buffered, then half-closes the request (END_STREAM).</summary>
    public async Task CompleteAsync()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        try
        {
            await _batcher.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw _call.Fail(ex);
        }
        finally
        {
            _content.Complete();
        }
    }

    private async ValueTask SendBatchAsync(ReadOnlySequence<byte> batch, CancellationToken token)
    {
        var stream = await _content.StreamAsync.ConfigureAwait(false);
        foreach (var segment in batch)
        {
            await stream.WriteAsync(segment, token).ConfigureAwait(false);
        }

        await stream.FlushAsync(token).ConfigureAwait(false);
    }
}
