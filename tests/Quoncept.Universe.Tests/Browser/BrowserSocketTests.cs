using System.Net;
using System.Net.WebSockets;
using System.Text;
using Google.Protobuf;
using Quoncept.Client;
using Quoncept.Universe.Tests.EndToEnd;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.Browser;

/// <summary>
/// The browser transport (GET /ws on gateway A's web port) driven by ClientWebSocket: the same
/// session model as the Connect stream, and every refusal a close with its code and reason.
/// </summary>
[Collection(UniverseCollection.Name)]
public sealed class BrowserSocketTests(UniverseFixture universe)
{
    private async Task<(BrowserSocketClient Client, CreateSessionResponse Session, string ConnectionId)> AdmitAsync(string? username = null)
    {
        var session = (await universe.A.CreateSessionAsync(username ?? universe.Users.Take().Username)).Value;
        var connectionId = "web-" + Guid.NewGuid().ToString("N")[..12];
        var (client, admitted) = await BrowserSocketClient.AdmitAsync(universe.WebA, session.Token, connectionId);
        Assert.False(admitted.Resumed);
        return (client, session, connectionId);
    }

    private static async Task<(int Code, string Reason)> HelloAsync(Uri web, BrowserHello hello)
    {
        await using var client = await BrowserSocketClient.OpenAsync(web);
        await client.SendAsync(hello);
        return await client.ClosedAsync();
    }

    [Fact]
    public async Task Socket_LoginPingChatMoveLogout_AnsweredByRequestIdAndSeenOnTheGrpcStream()
    {
        var group = universe.Users.TakeGroup(2);
        var watcherSession = (await universe.B.CreateSessionAsync(group[0].Username)).Value;
        await using var watcher = await universe.B.ConnectAsync(watcherSession);
        var here = (await watcher.LoginAsync()).Value.System.System;

        var (browser, session, _) = await AdmitAsync(group[1].Username);
        await using var _b = browser;
        var login = await browser.RequestAsync(new ClientMessage { Login = new Login() });
        Assert.Equal(here.Id, login.LoginResult.System.System.Id);
        Assert.Contains(login.LoginResult.System.Present, c => c.Id == watcherSession.CharacterId);
        await watcher.NextAsync(e => e.Arrived?.Character.Id == session.CharacterId, "the browser player's arrival on the gRPC stream");

        var pong = await browser.RequestAsync(new ClientMessage { Ping = new Ping { ClientTimeUnixMs = 42 } });
        Assert.Equal(42, pong.Pong.ClientTimeUnixMs);

        var said = await browser.RequestAsync(new ClientMessage { Chat = new Chat { Text = "hello from a browser" } });
        var heard = await watcher.NextAsync(e => e.Chat?.Text == "hello from a browser", "the browser's chat on the gRPC stream");
        Assert.Equal(said.ChatResult.Sequence, heard.Chat!.Sequence);
        await watcher.ChatAsync("hello from gRPC");
        var back = await browser.NextAsync(m => m.ChatMessage?.Text == "hello from gRPC", "the gRPC client's chat on the socket");
        Assert.Equal(watcherSession.CharacterId, back.ChatMessage.CharacterId);

        var moved = await browser.RequestAsync(new ClientMessage { Move = new Move { ToSystemId = here.Neighbours[0].Id } });
        Assert.Equal(here.Neighbours[0].Id, moved.MoveResult.System.System.Id);
        await watcher.NextAsync(e => e.Departed?.CharacterId == session.CharacterId, "the browser player's departure");

        var bad = await browser.RequestAsync(new ClientMessage { Chat = new Chat { Text = "" } });
        Assert.Equal(ErrorCode.InvalidArgument, bad.Error.Code);
        var logout = await browser.RequestAsync(new ClientMessage { Logout = new Logout() });
        Assert.False(logout.LogoutResult.Character.Online);
        await watcher.LogoutAsync();
    }

    [Fact]
    public async Task Socket_DroppedAndReopenedWithTheSameConnectionId_ResumesWithoutADeparture()
    {
        var group = universe.Users.TakeGroup(2);
        var watcherSession = (await universe.B.CreateSessionAsync(group[0].Username)).Value;
        await using var watcher = await universe.B.ConnectAsync(watcherSession);
        await watcher.LoginAsync();
        var (browser, session, connectionId) = await AdmitAsync(group[1].Username);
        await browser.RequestAsync(new ClientMessage { Login = new Login() });
        await watcher.NextAsync(e => e.Arrived?.Character.Id == session.CharacterId, "the browser player's arrival");

        browser.Drop();
        await browser.DisposeAsync();
        var (again, admitted) = await BrowserSocketClient.AdmitAsync(universe.WebA, session.Token, connectionId);
        await using var _a = again;
        Assert.True(admitted.Resumed);
        var login = await again.RequestAsync(new ClientMessage { Login = new Login() });
        Assert.True(login.LoginResult.Character.Online);

        await watcher.ChatAsync("still here?");
        await again.NextAsync(m => m.ChatMessage?.Text == "still here?", "live events after the resume");
        var seen = await watcher.CollectAsync(UniverseFixture.GracePeriod + TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(seen, e => e.Departed?.CharacterId == session.CharacterId || e.Arrived?.Character.Id == session.CharacterId);
        await watcher.LogoutAsync();
    }

    [Fact]
    public async Task Socket_NewSessionOfTheSameUser_TerminateReplacedThenClose4001()
    {
        var username = universe.Users.Take().Username;
        var (browser, _, _) = await AdmitAsync(username);
        await using var _b = browser;
        await browser.RequestAsync(new ClientMessage { Login = new Login() });
        await universe.A.CreateSessionAsync(username);
        var terminate = await browser.NextAsync(m => m.Terminate is not null, "Terminate");
        Assert.Equal("replaced", terminate.Terminate.Reason);
        var (code, reason) = await browser.ClosedAsync();
        Assert.Equal(4001, code);
        Assert.StartsWith("replaced", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Socket_OriginOfAnotherSite_Closed1008()
    {
        await using var client = await BrowserSocketClient.OpenAsync(universe.WebA, origin: "http://evil.test");
        var (code, reason) = await client.ClosedAsync();
        Assert.Equal((int)WebSocketCloseStatus.PolicyViolation, code);
        Assert.Contains("origin 'http://evil.test' is not allowed", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UniverseFixture.AllowedOrigin)]
    [InlineData("same")]
    public async Task Socket_AllowedOrSameOrigin_IsAdmitted(string origin)
    {
        var session = (await universe.A.CreateSessionAsync(universe.Users.Take().Username)).Value;
        await using var client = await BrowserSocketClient.OpenAsync(universe.WebA, origin: origin == "same" ? $"http://{universe.WebA.Authority}" : origin);
        Assert.Equal("quoncept.v1", client.SubProtocol);
        await client.SendAsync(new BrowserHello { Token = session.Token, ConnectionId = "web-origin-" + Guid.NewGuid().ToString("N")[..8] });
        var first = await client.ReceiveAsync();
        Assert.Equal(ServerMessage.BodyOneofCase.Admitted, first?.BodyCase);
    }

    [Fact]
    public async Task Socket_WithoutTheSubprotocol_Closed1002()
    {
        await using var client = await BrowserSocketClient.OpenAsync(universe.WebA, offerSubprotocol: false);
        var (code, reason) = await client.ClosedAsync();
        Assert.Equal((int)WebSocketCloseStatus.ProtocolError, code);
        Assert.Contains("quoncept.v1", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_MissingToken_Closed4401()
    {
        var (code, reason) = await HelloAsync(universe.WebA, new BrowserHello { ConnectionId = "web-no-token" });
        Assert.Equal(4401, code);
        Assert.Contains("token is missing", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_ForgedToken_Closed4401()
    {
        var (code, reason) = await HelloAsync(universe.WebA, new BrowserHello { Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", ConnectionId = "web-forged" });
        Assert.Equal(4401, code);
        Assert.Contains("token", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_ReplacedSessionsToken_Closed4401()
    {
        var username = universe.Users.Take().Username;
        var old = (await universe.A.CreateSessionAsync(username)).Value;
        await universe.A.CreateSessionAsync(username);
        var (code, _) = await HelloAsync(universe.WebA, new BrowserHello { Token = old.Token, ConnectionId = "web-replaced" });
        Assert.Equal(4401, code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has spaces")]
    public async Task Hello_BadConnectionId_Closed4400(string connectionId)
    {
        var session = (await universe.A.CreateSessionAsync(universe.Users.Take().Username)).Value;
        var (code, reason) = await HelloAsync(universe.WebA, new BrowserHello { Token = session.Token, ConnectionId = connectionId });
        Assert.Equal(4400, code);
        Assert.Contains("connection_id", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_NeverSent_Closed4408AfterTheTimeout()
    {
        await using var client = await BrowserSocketClient.OpenAsync(universe.WebA);
        var (code, reason) = await client.ClosedAsync();
        Assert.Equal(4408, code);
        Assert.Contains("BrowserHello", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_TextFrame_Closed1003()
    {
        await using var client = await BrowserSocketClient.OpenAsync(universe.WebA);
        await client.SendBytesAsync(Encoding.UTF8.GetBytes("{\"token\":\"x\"}"), WebSocketMessageType.Text);
        var (code, reason) = await client.ClosedAsync();
        Assert.Equal((int)WebSocketCloseStatus.InvalidMessageType, code);
        Assert.Contains("binary", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_Garbage_Closed1007()
    {
        await using var client = await BrowserSocketClient.OpenAsync(universe.WebA);
        await client.SendBytesAsync([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
        var (code, reason) = await client.ClosedAsync();
        Assert.Equal((int)WebSocketCloseStatus.InvalidPayloadData, code);
        Assert.Contains("BrowserHello", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frame_GarbageAfterAdmission_Closed1007AndTheSessionKeepsItsGrace()
    {
        var (browser, session, connectionId) = await AdmitAsync();
        await using var _b = browser;
        await browser.RequestAsync(new ClientMessage { Login = new Login() });
        await browser.SendBytesAsync([0x0a, 0xff, 0x01]);
        var (code, reason) = await browser.ClosedAsync();
        Assert.Equal((int)WebSocketCloseStatus.InvalidPayloadData, code);
        Assert.Contains("ClientMessage", reason, StringComparison.Ordinal);
        // Closed like a dropped connection: the same connection id resumes within the grace period.
        var (again, admitted) = await BrowserSocketClient.AdmitAsync(universe.WebA, session.Token, connectionId);
        await using var _a = again;
        Assert.True(admitted.Resumed);
    }

    [Fact]
    public async Task Frame_OverTheLimit_Closed1009()
    {
        var (browser, _, _) = await AdmitAsync();
        await using var _b = browser;
        var big = new ClientMessage { RequestId = "big", Chat = new Chat { Text = new string('x', 20_000) } };
        await browser.SendAsync(big);
        var (code, reason) = await browser.ClosedAsync();
        Assert.Equal((int)WebSocketCloseStatus.MessageTooBig, code);
        Assert.Contains("16384 bytes", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frames_Flood_Closed4429()
    {
        var (browser, _, _) = await AdmitAsync();
        await using var _b = browser;
        var ping = new ClientMessage { RequestId = "flood", Ping = new Ping() }.ToByteArray();
        try
        {
            for (var i = 0; i < 500; i++) await browser.SendBytesAsync(ping);
        }
        catch (WebSocketException)
        {
            // The gateway closed while the flood was still being written.
        }
        var (code, reason) = await browser.ClosedAsync();
        Assert.Equal(4429, code);
        Assert.Contains("frames a second", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithoutUpgrade_Is400SayingItIsAWebSocket()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(universe.WebA, "/ws"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_IsServedWithItsGeneratedProtobufAndRuntimes()
    {
        using var http = new HttpClient();
        var page = await http.GetStringAsync(universe.WebA);
        Assert.Contains("importmap", page, StringComparison.Ordinal);
        using var generated = await http.GetAsync(new Uri(universe.WebA, "/gen/quoncept/v1/stream_pb.js"));
        Assert.Equal("text/javascript", generated.Content.Headers.ContentType?.MediaType);
        using var runtime = await http.GetAsync(new Uri(universe.WebA, "/vendor/@bufbuild/protobuf/index.js"));
        Assert.Equal(HttpStatusCode.OK, runtime.StatusCode);
    }
}
