using System.Buffers;
using System.IO.Compression;

namespace Quoncept.Grpc;

/// <summary>grpc-encoding: gzip (RFC 1952) for message payloads.</summary>
internal static class GzipCompression
{
    public static byte[] Compress(ReadOnlySpan<byte> payload)
    {
        using var output = new MemoryStream(payload.Length / 2 + 64);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(payload);
        }

        return output.ToArray();
    }

    /// <summary>Decompresses, refusing output larger than maxSize (a small bomb must not exhaust memory).</summary>
    public static byte[] Decompress(in ReadOnlySequence<byte> payload, int maxSize)
    {
        var compressed = payload.ToArray();
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = gzip.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (output.Length + read > maxSize)
                    {
                        throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Decompressed message exceeds the limit of {maxSize} bytes."));
                    }

                    output.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Message is not valid gzip: " + ex.Message));
        }
    }
}
