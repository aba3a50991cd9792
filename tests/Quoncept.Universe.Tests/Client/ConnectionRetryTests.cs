using Quoncept.Client;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.Client;

/// <summary>The client library riding out restarts against scripted gateways on real Kestrel: retries by request id, resuming elsewhere.</summary>
public sealed class ConnectionRetryTests
{
    private static readonly CreateSessionResponse Session = new() { SessionId = "sess-1", Token = "token-1" };

    private static ServerMessage Normally(ClientMessage request) => request.BodyCase switch
    {
        ClientMessage.BodyOneofCase.Login => new ServerMessage { LoginResult = new LoginResult { Character = new Character { Id = "c1", SystemId = "s1" } } },
        ClientMessage.BodyOneofCase.Chat => new ServerMessage { ChatResult = new ChatResult { Sequence = 7 } },
        _ => new ServerMessage { Error = new Error { Code = ErrorCode.InvalidArgument, Message = "not scripted" } },
    };

    [Fact]
    public async Task ChatAsync_AnsweredUnavailableTwice_RetriedWithTheSameRequestIdThenAnswered()
    {
        await using var gateway = await ScriptedGateway.StartAsync((request, seen) => seen <= 2
            ? new ServerMessage { Error = new Error { Code = ErrorCode.Unavailable, Message = "the actor's host is restarting" } }
            : Normally(request));
        using var client = new QuonceptClient(gateway.Address);
        await using var connection = await client.ConnectAsync(Session, options: new ConnectionOptions { Retry = RetryPolicy.Default with { InitialBackoff = TimeSpan.FromMilliseconds(10) } });

        var chat = await connection.ChatAsync("hello");

        Assert.Equal(7ul, chat.Value.Sequence);
        var sent = gateway.Received.Select(r => r.Request).ToList();
        Assert.Equal(3, sent.Count);
        Assert.Single(sent.Select(r => r.RequestId).Distinct());
        Assert.Equal(2, connection.Retries);
    }

    [Fact]
    public async Task ChatAsync_NoRetryPolicy_UnavailableIsTheCallersAtOnce()
    {
        await using var gateway = await ScriptedGateway.StartAsync((_, _) => new ServerMessage { Error = new Error { Code = ErrorCode.Unavailable, Message = "restarting" } });
        using var client = new QuonceptClient(gateway.Address);
        await using var connection = await client.ConnectAsync(Session);

        var failed = await Assert.ThrowsAsync<RequestFailedException>(() => connection.ChatAsync("hello"));

        Assert.Equal(ErrorCode.Unavailable, failed.Code);
        Assert.Single(gateway.Received);
    }

    [Fact]
    public async Task ChatAsync_GatewayStopsUnderTheRequest_ResumesThroughTheOtherGatewayWithTheSameConnectionAndRequestIds()
    {
        await using var stopping = await ScriptedGateway.StartAsync((request, _) => request.BodyCase == ClientMessage.BodyOneofCase.Chat ? null : Normally(request));
        await using var other = await ScriptedGateway.StartAsync((request, _) => Normally(request));
        using var first = new QuonceptClient(stopping.Address);
        using var second = new QuonceptClient(other.Address);
        var options = new ConnectionOptions { Retry = RetryPolicy.Default, Gateways = [first, second] };
        await using var connection = await first.ConnectAsync(Session, "c-resume-1", options);
        await connection.LoginAsync();
        var resumed = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Resumed += (via, _) => resumed.TrySetResult(via);

        var chat = await connection.ChatAsync("hello");

        Assert.Equal(7ul, chat.Value.Sequence);
        Assert.Equal(other.Address, await resumed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(other.Address, connection.GatewayAddress);
        var cut = Assert.Single(stopping.Received, r => r.Request.BodyCase == ClientMessage.BodyOneofCase.Chat);
        var there = other.Received.ToList();
        // Logged in again first (the new gateway joins it to its system's events), then the same chat, same ids.
        Assert.Equal([ClientMessage.BodyOneofCase.Login, ClientMessage.BodyOneofCase.Chat], there.Select(r => r.Request.BodyCase));
        Assert.All(there, r => Assert.Equal("c-resume-1", r.ConnectionId));
        Assert.Equal(cut.Request.RequestId, there[1].Request.RequestId);
        Assert.Equal(1, connection.Resumes);
    }

    [Fact]
    public async Task ConnectAsync_RetryPolicyWithoutAttempts_RefusedNamingTheSetting()
    {
        using var client = new QuonceptClient(new Uri("http://127.0.0.1:9"));
        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            client.ConnectAsync(Session, options: new ConnectionOptions { Retry = new RetryPolicy { MaxAttempts = 0 } }));
        Assert.Equal("MaxAttempts", refused.ParamName);
    }
}
