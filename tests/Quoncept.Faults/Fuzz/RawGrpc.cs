using Grpc.Core;

namespace Quoncept.Faults.Fuzz;

/// <summary>gRPC methods whose messages are raw bytes, so that anything at all can be sent as a message.</summary>
internal static class RawGrpc
{
    public static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public static Method<byte[], byte[]> Unary(string service, string method) => new(MethodType.Unary, service, method, Bytes, Bytes);

    public static Method<byte[], byte[]> Duplex(string service, string method) => new(MethodType.DuplexStreaming, service, method, Bytes, Bytes);
}
