using System.Buffers;
using Google.Protobuf;

namespace Quoncept.Grpc;

/// <summary>Writes one length-prefixed message into a buffer writer; the caller decides when to flush.</summary>
internal static class MessageWriter
{
    public static void Write(IBufferWriter<byte> output, IMessage message, int maxSendSize, bool gzip)
    {
        var size = message.CalculateSize();
        if (size > maxSendSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Sending message of {size} bytes exceeds the limit of {maxSendSize} bytes."));
        }

        if (gzip)
        {
            var compressed = GzipCompression.Compress(message.ToByteArray());
            var span = output.GetSpan(GrpcProtocol.HeaderSize + compressed.Length);
            MessageFraming.WriteHeader(span, compressed: true, compressed.Length);
            compressed.CopyTo(span[GrpcProtocol.HeaderSize..]);
            output.Advance(GrpcProtocol.HeaderSize + compressed.Length);
            return;
        }

        var frame = output.GetSpan(GrpcProtocol.HeaderSize + size);
        MessageFraming.WriteHeader(frame, compressed: false, size);
        message.WriteTo(frame.Slice(GrpcProtocol.HeaderSize, size));
        output.Advance(GrpcProtocol.HeaderSize + size);
    }
}
