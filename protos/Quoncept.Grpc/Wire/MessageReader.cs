using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Quoncept.Grpc;

/// <summary>
/// Reads length-prefixed messages from a pipe (the server's request body, the client's response body).
/// One reader per stream; reads are not concurrent.
/// </summary>
internal sealed class MessageReader
{
    private readonly PipeReader _pipe;
    private readonly int _maxReceiveSize;
    private readonly string? _encoding;

    public MessageReader(PipeReader pipe, int maxReceiveSize, string? encoding)
    {
        _pipe = pipe;
        _maxReceiveSize = maxReceiveSize;
        _encoding = encoding;
    }

    /// <summary>The next message, or null at a clean end of stream. Malformed input throws RpcException.</summary>
    public async ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (MessageFraming.TryReadHeader(buffer, out var flag, out var length))
            {
                MessageFraming.ValidateHeader(flag, length, _maxReceiveSize, _encoding);
                var frameLength = GrpcProtocol.HeaderSize + (long)length;
                if (buffer.Length >= frameLength)
                {
                    var payload = buffer.Slice(GrpcProtocol.HeaderSize, length);
                    T message;
                    try
                    {
                        message = flag == 1
                            ? Parse(parser, new ReadOnlySequence<byte>(GzipCompression.Decompress(payload, _maxReceiveSize)))
                            : Parse(parser, payload);
                    }
                    finally
                    {
                        _pipe.AdvanceTo(buffer.GetPosition(frameLength));
                    }

                    return message;
                }
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                _pipe.AdvanceTo(buffer.End);
                if (buffer.IsEmpty && result.IsCompleted)
                {
                    return null;
                }

                if (result.IsCanceled)
                {
                    throw new OperationCanceledException(cancellationToken);
                }

                throw new RpcException(new Status(StatusCode.Internal, $"Incomplete message: the stream ended inside a frame ({buffer.Length} bytes of a frame received)."));
            }

            _pipe.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Releases the pipe's buffers once the stream has been read to its end.</summary>
    public void Complete() => _pipe.Complete();

    private static T Parse<T>(MessageParser<T> parser, in ReadOnlySequence<byte> payload)
        where T : class, IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Failed to deserialize the message: " + ex.Message));
        }
    }
}
