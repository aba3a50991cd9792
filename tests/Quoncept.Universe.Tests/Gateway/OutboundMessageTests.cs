using System.Diagnostics.Metrics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quoncept.Gateway;
using Quoncept.Gateway.Connections;
using Quoncept.Gateway.Routing;
using Quoncept.Gateway.Streams;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.Gateway;

public sealed class OutboundMessageTests
{
    private static ServerMessage Chat(ulong seq) =>
        new() { ChatMessage = new ChatMessage { SystemId = "s1", Sequence = seq, CharacterId = "c1", CharacterName = "Alice", Text = "héllo ✨" } };

    [Fact]
    public void ConnectMethod_ResponseMarshaller_WritesTheGeneratedServerMessageBytes()
    {
        var message = Chat(7);
        var context = new CapturingSerializationContext();
        OutboundMessage.ConnectMethod.ResponseMarshaller.ContextualSerializer(new OutboundMessage(message), context);
        var serialized = context.Payload!;

        Assert.Equal(Google.Protobuf.MessageExtensions.ToByteArray(message), serialized);
        Assert.Equal(message, ServerMessage.Parser.ParseFrom(serialized));
        Assert.Equal(("quoncept.v1.Gateway/Connect", MethodType.DuplexStreaming), (OutboundMessage.ConnectMethod.FullName.TrimStart('/'), OutboundMessage.ConnectMethod.Type));
    }

    [Fact]
    public void ConnectMethod_RequestMarshaller_ReadsAClientMessage()
    {
        var request = new ClientMessage { RequestId = "r1", Chat = new Chat { Text = "hi" } };
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(request);

        Assert.Equal(request, OutboundMessage.ConnectMethod.RequestMarshaller.ContextualDeserializer(new BytesDeserializationContext(bytes)));
    }

    [Fact]
    public async Task DeliverSystemEvent_ToSeveralMembers_EveryStreamWritesTheSameEncodedBytes()
    {
        var router = new LiveEventRouter(Options.Create(new GatewayOptions()), new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
        var members = Enumerable.Range(0, 3).Select(i => new ClientConnection($"conn-{i}", new SessionIdentity($"c{i}", $"sess-{i}", $"u{i}"), 16)).ToList();
        foreach (var m in members)
        {
            router.Add(m);
            router.EnterSystem(m, "s1", 0);
        }

        Assert.Equal(3, router.DeliverSystemEvent("s1", 1, null, Chat(1)));

        var written = new List<byte[]>();
        foreach (var m in members)
        {
            m.Complete();
            await m.RunWriterAsync((o, _) => { written.Add(o.Bytes); return Task.CompletedTask; }, TimeSpan.FromSeconds(30), CancellationToken.None);
        }
        Assert.Equal(3, written.Count);
        Assert.All(written, bytes => Assert.Same(written[0], bytes));
    }

    private sealed class CapturingSerializationContext : SerializationContext
    {
        private readonly System.Buffers.ArrayBufferWriter<byte> _writer = new();

        public byte[]? Payload { get; private set; }

        public override void Complete(byte[] payload) => Payload = payload;

        public override System.Buffers.IBufferWriter<byte> GetBufferWriter() => _writer;

        public override void SetPayloadLength(int payloadLength)
        {
        }

        public override void Complete() => Payload = _writer.WrittenSpan.ToArray();
    }

    private sealed class BytesDeserializationContext(byte[] payload) : DeserializationContext
    {
        public override int PayloadLength => payload.Length;

        public override byte[] PayloadAsNewBuffer() => [.. payload];

        public override System.Buffers.ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(payload);
    }
}
