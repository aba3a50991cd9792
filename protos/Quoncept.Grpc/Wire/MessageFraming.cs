using System.Buffers;
using System.Buffers.Binary;

namespace Quoncept.Grpc;

/// <summary>
/// The gRPC message frame:
/// Length-Prefixed-Message → Compressed-Flag Message-Length Message;
/// Compressed-Flag → 0 / 1 (one byte); Message-Length → 4-byte big-endian unsigned length of Message.
/// </summary>
internal static class MessageFraming
{
    /// <summary>Reads the 5-byte prefix; false when fewer than 5 bytes are buffered.</summary>
    public static bool TryReadHeader(in ReadOnlySequence<byte> buffer, out byte compressedFlag, out uint length)
    {
        if (buffer.Length < GrpcProtocol.HeaderSize)
        {
            compressedFlag = 0;
            length = 0;
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.HeaderSize];
        buffer.Slice(0, GrpcProtocol.HeaderSize).CopyTo(header);
        compressedFlag = header[0];
        length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        return true;
    }

    /// <summary>Checks a prefix against the receive limit and the negotiated grpc-encoding.</summary>
    public static void ValidateHeader(byte compressedFlag, uint length, int maxReceiveSize, string? encoding)
    {
        if (compressedFlag > 1)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Invalid compressed flag {compressedFlag} in message prefix (must be 0 or 1)."));
        }

        if (length > (uint)maxReceiveSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message of {length} bytes exceeds the limit of {maxReceiveSize} bytes."));
        }

        if (compressedFlag == 1 && (encoding is null || string.Equals(encoding, GrpcProtocol.Identity, StringComparison.OrdinalIgnoreCase)))
        {
            throw new RpcException(new Status(StatusCode.Internal, "Message has the compressed flag set but no grpc-encoding was negotiated."));
        }
    }

    public static void WriteHeader(Span<byte> destination, bool compressed, int length)
    {
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }
}
