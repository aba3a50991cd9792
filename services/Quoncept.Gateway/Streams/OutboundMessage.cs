using Google.Protobuf;
using Grpc.Core;
using Quoncept.V1;

namespace Quoncept.Gateway.Streams;

/// <summary>
/// A ServerMessage encoded once, as it goes on the wire. A live event is encoded when it reaches
/// the gateway and the same bytes are written to every stream it goes to, instead of serializing
/// the message again per client. <see cref="ConnectMethod"/> is quoncept.v1.Gateway/Connect with a
/// response marshaller that writes these bytes: the wire is exactly the generated ServerMessage's.
/// </summary>
internal sealed class OutboundMessage
{
    public OutboundMessage(ServerMessage message)
    {
        Message = message;
        Bytes = message.ToByteArray();
    }

    /// <summary>The message, kept for the tests and logs; never serialized again.</summary>
    public ServerMessage Message { get; }

    public byte[] Bytes { get; }

    public static readonly Method<ClientMessage, OutboundMessage> ConnectMethod = new(
        MethodType.DuplexStreaming,
        V1.Gateway.Descriptor.FullName,
        "Connect",
        new Marshaller<ClientMessage>(
            (message, context) =>
            {
                context.SetPayloadLength(message.CalculateSize());
                message.WriteTo(context.GetBufferWriter());
                context.Complete();
            },
            context => ClientMessage.Parser.ParseFrom(context.PayloadAsReadOnlySequence())),
        new Marshaller<OutboundMessage>(
            (message, context) => context.Complete(message.Bytes),
            context => new OutboundMessage(ServerMessage.Parser.ParseFrom(context.PayloadAsReadOnlySequence()))));
}
