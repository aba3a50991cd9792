using Google.Protobuf;
using Grpc.Core;

namespace Quoncept.Sidecar.GrpcApi;

/// <summary>
/// gRPC marshallers for the Dapr.Protos message types, built from each message's own parser: the
/// message is written straight into the response buffer and parsed straight from the request's
/// sequence, as protoc's generated service code does.
/// </summary>
internal static class ProtoMarshallers
{
    public static Marshaller<T> For<T>(MessageParser<T> parser) where T : class, IMessage<T> =>
        Marshallers.Create(Serialize, context => Parse(parser, context));

    /// <summary>A request that is not the method's message is INTERNAL "grpc: error unmarshalling request: ...", as grpc-go (daprd) answers it.</summary>
    private static T Parse<T>(MessageParser<T> parser, DeserializationContext context) where T : class, IMessage<T>
    {
        try
        {
            return parser.ParseFrom(context.PayloadAsReadOnlySequence());
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"grpc: error unmarshalling request: {error.Message}"));
        }
    }

    private static void Serialize<T>(T message, SerializationContext context) where T : class, IMessage<T>
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }
}
