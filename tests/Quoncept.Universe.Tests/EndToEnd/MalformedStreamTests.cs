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
        using var channel = GrpcChannel.ForAddress(universe.GatewayA);
        var headers = await NewStreamHeadersAsync();
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
        using var channel = GrpcChannel.ForAddress(universe.GatewayA);
        var headers = await NewStreamHeadersAsync();
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

    [Fact]
    public async Task Connect_ChatsThenAMoveSentWithoutWaiting_ChatsAnsweredInOrderInTheOldSystemThenTheMove()
    {
        using var channel = GrpcChannel.ForAddress(universe.GatewayA);
        var headers = await NewStreamHeadersAsync();
        using var call = new Quoncept.V1.Gateway.GatewayClient(channel).Connect(headers, DateTime.UtcNow.AddSeconds(60));
        await call.RequestStream.WriteAsync(new Quoncept.V1.ClientMessage { RequestId = "login", Login = new Quoncept.V1.Login() });
        var login = await NextAnswerAsync(call);
        var (here, away) = (login.LoginResult.System.System.Id, login.LoginResult.System.System.Neighbours[0].Id);

        // Twelve chats and a move, all on the wire before any answer is read: the chats may overlap one another
        // (they share their system's queue), the move waits for them, so every line is said in the system left.
        for (var i = 0; i < 12; i++) await call.RequestStream.WriteAsync(new Quoncept.V1.ClientMessage { RequestId = $"chat-{i}", Chat = new Quoncept.V1.Chat { Text = $"line {i}" } });
        await call.RequestStream.WriteAsync(new Quoncept.V1.ClientMessage { RequestId = "move", Move = new Quoncept.V1.Move { ToSystemId = away } });
        var answers = new List<Quoncept.V1.ServerMessage>();
        while (answers.Count < 13) answers.Add(await NextAnswerAsync(call));

        Assert.Equal([.. Enumerable.Range(0, 12).Select(i => $"chat-{i}"), "move"], answers.Select(a => a.RequestId));
        Assert.All(answers.Take(12), a => Assert.Equal(Quoncept.V1.ServerMessage.BodyOneofCase.ChatResult, a.BodyCase));
        var sequences = answers.Take(12).Select(a => a.ChatResult.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.Equal((away, here), (answers[12].MoveResult.Character.SystemId, login.LoginResult.Character.SystemId));
        await call.RequestStream.CompleteAsync();
    }

    /// <summary>The next message that answers a request (live events, which carry no request id, are skipped).</summary>
    private static async Task<Quoncept.V1.ServerMessage> NextAnswerAsync(AsyncDuplexStreamingCall<Quoncept.V1.ClientMessage, Quoncept.V1.ServerMessage> call)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await call.ResponseStream.MoveNext(wait.Token))
        {
            if (call.ResponseStream.Current.RequestId.Length > 0) return call.ResponseStream.Current;
        }
        throw new InvalidOperationException("the stream ended before the answer");
    }

    /// <summary>The metadata of a Connect stream for a new session of an unused user: its token and a new connection id.</summary>
    private async Task<Metadata> NewStreamHeadersAsync()
    {
        var (username, _) = universe.Users.Take();
        using var client = new QuonceptClient(universe.GatewayA);
        var session = (await client.CreateSessionAsync(username)).Value;
        return new Metadata { { "authorization", "Bearer " + session.Token }, { "connection-id", QuonceptClient.NewConnectionId() } };
    }
}
