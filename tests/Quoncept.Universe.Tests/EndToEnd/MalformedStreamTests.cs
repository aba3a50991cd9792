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

    [Fact]
    public async Task Connect_ClientSendsFarFasterThanItReads_IsSlowedDownAndEveryRequestAnsweredNotCutOff()
    {
        const int requests = 8000;
        var (username, _) = universe.Users.Take();
        using var client = new QuonceptClient(universe.GatewayA);
        var session = (await client.CreateSessionAsync(username)).Value;
        using var channel = GrpcChannel.ForAddress(universe.GatewayA);
        var headers = new Metadata { { "authorization", "Bearer " + session.Token }, { "connection-id", QuonceptClient.NewConnectionId() } };
        using var call = new Quoncept.V1.Gateway.GatewayClient(channel).Connect(headers, DateTime.UtcNow.AddSeconds(120));
        var id = (int i) => $"pipelined-{i:D6}-" + new string('x', 40);

        // Far more answers than the HTTP/2 windows and the gateway's answer lane hold, none read while sending:
        // the gateway stops reading requests once its answer lane is full, and the client's sends wait.
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < requests; i++) await call.RequestStream.WriteAsync(new Quoncept.V1.ClientMessage { RequestId = id(i), Ping = new Quoncept.V1.Ping { ClientTimeUnixMs = i } });
            await call.RequestStream.CompleteAsync();
        });
        await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(3)));

        var answered = new List<string>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            var message = call.ResponseStream.Current;
            Assert.Null(message.Terminate);
            answered.Add(message.RequestId);
        }
        await sending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, requests).Select(id), answered);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }
}
