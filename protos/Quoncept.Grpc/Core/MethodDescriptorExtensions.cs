using Google.Protobuf.Reflection;

namespace Quoncept.Grpc;

internal static class MethodDescriptorExtensions
{
    public static MethodType GetMethodType(this MethodDescriptor descriptor) => (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (true, false) => MethodType.ClientStreaming,
        (false, true) => MethodType.ServerStreaming,
        (true, true) => MethodType.DuplexStreaming,
    };
}
