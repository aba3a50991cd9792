using Grpc.Core;
using Grpc.Net.Client;
using Quoncept.Client;

namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>A Connect stream that carries something that is not a ClientMessage, as the fuzzer sends it.</summary>
[Collection(UniverseCollection.Name)]
public sealed class MalformedStreamTests(UniverseFixture universe)
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    [Theory]
    [InlineData(new byte[] { 0x0a, 0x80, 0x80, 0x80, 0x80, 0x01, 0x61, 0x62 })]
    [InlineData(new byte[] { 0x0a, 0x02, 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xff, 0xff, 0xff })]
    public async Task Connect_UnparsableMessage_EndsWithInvalidArgumentNotASilentOk(byte[] message)
    {
        var (username, _) = universe.Users.Take();
        using var client = new QuonceptClient(universe.GatewayA);
        var session = (await client.CreateSessionAsync(username)).Value;
        using var channel = GrpcChannel.ForAddress(universe.GatewayA);
        var headers = new Metadata { { "authorization", "Bearer " + session.Token }, { "connection-id", QuonceptClient.NewConnectionId() } };
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(
            new Method<byte[], byte[]>(MethodType.DuplexStreaming, "quoncept.v1.Gateway", "Connect", Bytes, Bytes), null, new CallOptions(headers, DateTime.UtcNow.AddSeconds(30)));

        await call.RequestStream.WriteAsync(message);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("is not a valid quoncept.v1.ClientMessage", error.Status.Detail, StringComparison.Ordinal);
    }
}
