using System.Net;

namespace Quoncept.Grpc;

/// <summary>
/// The request body of a client-streaming or duplex call: HttpClient hands over the HTTP/2
/// request stream, the call's request writer writes frames to it, and completing the writer
/// ends the body (END_STREAM).
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamingRequestContent()
    {
        Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);
    }

    public Task<Stream> StreamAsync => _stream.Task;

    /// <summary>Ends the request body normally.</summary>
    public void Complete() => _completed.TrySetResult();

    /// <summary>The call ended: release anyone waiting for the stream and end the body.</summary>
    public void Abort()
    {
        _stream.TrySetCanceled();
        _completed.TrySetResult();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // SocketsHttpHandler holds a request's HEADERS back until the body's first write (to send
        // them with it); a duplex call whose client waits for the response headers before writing
        // would never start. Flushing sends the headers now (as grpc-dotnet's PushStreamContent does).
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.TrySetResult(stream);
        await _completed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
