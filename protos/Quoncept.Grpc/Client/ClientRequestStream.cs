using Google.Protobuf;

namespace Quoncept.Grpc;

/// <summary>The request stream of a client-streaming or duplex call: one write at a time.</summary>
internal sealed class ClientRequestStream<TRequest, TResponse> : IClientStreamWriter<TRequest>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly ClientCall<TRequest, TResponse> _call;
    private readonly StreamingRequestContent _content;
    private readonly System.Buffers.ArrayBufferWriter<byte> _frame = new(256);
    private bool _writing;
    private bool _completed;

    public ClientRequestStream(ClientCall<TRequest, TResponse> call, StreamingRequestContent content)
    {
        _call = call;
        _content = content;
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
            var stream = await _content.StreamAsync.ConfigureAwait(false);
            _frame.ResetWrittenCount();
            MessageWriter.Write(_frame, message, _call.MaxSendSize, _call.CompressRequests);
            await stream.WriteAsync(_frame.WrittenMemory, _call.CallToken).ConfigureAwait(false);
            await stream.FlushAsync(_call.CallToken).ConfigureAwait(false);
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

    public Task CompleteAsync()
    {
        _completed = true;
        _content.Complete();
        return Task.CompletedTask;
    }
}
