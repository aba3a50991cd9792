using Quoncept.Client;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>The social layer end to end: two gateways, clients over gRPC, characters that other tests do not use.</summary>
[Collection(UniverseCollection.Name)]
public sealed class SocialTests(UniverseFixture universe)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);

    private static async Task<(QuonceptConnection Connection, LoginResult Login)> LogInAsync(QuonceptClient gateway, string username)
    {
        var session = (await gateway.CreateSessionAsync(username)).Value;
        var connection = await gateway.ConnectAsync(session);
        return (connection, (await connection.LoginAsync()).Value);
    }

    [Fact]
    public async Task WorldChat_ReachesACharacterOnTheOtherGateway()
    {
        var (speaker, listener) = (universe.Users.Take(), universe.Users.Take());
        var (a, _) = await LogInAsync(universe.A, speaker.Username);
        await using var _a = a;
        var (b, _) = await LogInAsync(universe.B, listener.Username);
        await using var _b = b;

        var said = await a.SayAsync("world", "hello, everyone");
        var heard = await b.NextAsync(e => e.ChannelLine?.Text == "hello, everyone", "the world line on gateway B");

        Assert.Equal(("world", said.Value.Sequence, speaker.CharacterId), (heard.ChannelLine!.Channel, heard.ChannelLine.Sequence, heard.ChannelLine.CharacterId));
        await a.LogoutAsync();
        await b.LogoutAsync();
    }

    [Fact]
    public async Task GroupChannel_MembersOnTwoGatewaysHearEachOtherNonMembersDoNot()
    {
        var (owner, member, outsider) = (universe.Users.Take(), universe.Users.Take(), universe.Users.Take());
        var (a, _) = await LogInAsync(universe.A, owner.Username);
        await using var _a = a;
        var (b, _) = await LogInAsync(universe.B, member.Username);
        await using var _b = b;
        var (c, _) = await LogInAsync(universe.B, outsider.Username);
        await using var _c = c;
        var name = "e2e-" + Guid.NewGuid().ToString("N")[..8];

        await a.CreateChannelAsync(name);
        await a.SayAsync(name, "before you came");
        var joined = await b.JoinChannelAsync(name);
        Assert.Equal(["before you came"], joined.Value.History.Select(h => h.Text));
        await a.SayAsync(name, "welcome");

        var heard = await b.NextAsync(e => e.ChannelLine?.Channel == name, "the channel line");
        Assert.Equal(("welcome", 2UL), (heard.ChannelLine!.Text, heard.ChannelLine.Sequence));
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => c.SayAsync(name, "let me in"));
        Assert.Equal(ErrorCode.FailedPrecondition, refused.Code);
        Assert.DoesNotContain(await c.CollectAsync(Quiet), e => e.ChannelLine?.Channel == name);
        Assert.Contains((await b.ListChannelsAsync()).Value.Channels, ch => ch.Name == name && ch.MemberCount == 2);
    }

    [Fact]
    public async Task DirectMessage_ToOfflineCharacter_ArrivesAtItsNextLoginOnTheOtherGateway()
    {
        var (sender, recipient) = (universe.Users.Take(), universe.Users.Take());
        var (a, _) = await LogInAsync(universe.A, sender.Username);
        await using var _a = a;

        var sent = await a.SendDirectAsync(recipient.CharacterId, "see you when you are back");
        Assert.False(sent.Value.DeliveredLive);

        var (b, login) = await LogInAsync(universe.B, recipient.Username);
        await using var _b = b;
        Assert.Equal(1u, login.Social.WaitingDirectMessages);
        var kept = await b.NextAsync(e => e.Direct is not null, "the kept direct message");
        Assert.Equal(("see you when you are back", sender.CharacterId, true, sent.Value.Sequence), (kept.Direct!.Text, kept.Direct.FromCharacterId, kept.Direct.Kept, kept.Direct.Sequence));

        var live = await a.SendDirectAsync(recipient.CharacterId, "and now live");
        Assert.True(live.Value.DeliveredLive);
        var heard = await b.NextAsync(e => e.Direct is not null, "the live direct message");
        Assert.Equal(("and now live", false), (heard.Direct!.Text, heard.Direct.Kept));

        await b.LogoutAsync();
        Assert.False((await a.SendDirectAsync(recipient.CharacterId, "gone again")).Value.DeliveredLive);
    }

    [Fact]
    public async Task Login_RefusedOnAStreamAlreadyOnline_SocialSideStaysOnlineAndDirectMessagesStayLive()
    {
        var (sender, recipient) = (universe.Users.Take(), universe.Users.Take());
        var (a, _) = await LogInAsync(universe.A, sender.Username);
        await using var _a = a;
        var (b, login) = await LogInAsync(universe.B, recipient.Username);
        await using var _b = b;
        var lane = login.System.System.Neighbours[0].Id;
        var move = await b.SendAsync(new ClientMessage { RequestId = "reused-id", Move = new Move { ToSystemId = lane } });
        Assert.NotNull(move.Value.MoveResult);

        // The social side comes online beside the character's login; this login is refused (its id was a move's), and
        // the stream, online since its first login, must stay so.
        var again = await b.SendAsync(new ClientMessage { RequestId = "reused-id", Login = new Login() });
        Assert.Equal(ErrorCode.AlreadyExists, again.Value.Error.Code);

        var live = await a.SendDirectAsync(recipient.CharacterId, "still there?");
        Assert.True(live.Value.DeliveredLive);
        var heard = await b.NextAsync(e => e.Direct is not null, "the live direct message");
        Assert.Equal(("still there?", false), (heard.Direct!.Text, heard.Direct.Kept));
    }

    [Fact]
    public async Task Blocked_DirectMessagesAndMailNeverArrive()
    {
        var (pest, victim) = (universe.Users.Take(), universe.Users.Take());
        var (a, _) = await LogInAsync(universe.A, pest.Username);
        await using var _a = a;
        var (b, _) = await LogInAsync(universe.B, victim.Username);
        await using var _b = b;

        Assert.Equal([pest.CharacterId], (await b.BlockAsync(pest.CharacterId)).Value.CharacterIds);

        var direct = await Assert.ThrowsAsync<RequestFailedException>(() => a.SendDirectAsync(victim.CharacterId, "hey"));
        var mail = await Assert.ThrowsAsync<RequestFailedException>(() => a.SendMailAsync(victim.CharacterId, "hey", "listen"));
        Assert.Equal((ErrorCode.PermissionDenied, ErrorCode.PermissionDenied), (direct.Code, mail.Code));
        Assert.DoesNotContain(await b.CollectAsync(Quiet), e => e.Direct is not null || e.Mail is not null);
        Assert.Empty((await b.ListMailAsync()).Value.Mails);

        await b.UnblockAsync(pest.CharacterId);
        await a.SendDirectAsync(victim.CharacterId, "sorry");
        Assert.Equal("sorry", (await b.NextAsync(e => e.Direct is not null, "the direct message after unblocking")).Direct!.Text);
    }

    [Fact]
    public async Task Subscribe_OnlyTheChosenKindsArrive()
    {
        var pair = universe.Users.TakeGroup(2);
        var (watcher, actor) = (pair[0], pair[1]);
        var (a, _) = await LogInAsync(universe.A, watcher.Username);
        await using var _a = a;
        var (b, bLogin) = await LogInAsync(universe.B, actor.Username);
        await using var _b = b;
        await a.NextAsync(e => e.Arrived?.Character.Id == actor.CharacterId, "the other's arrival");
        await a.FollowAsync(actor.CharacterId);

        Assert.Equal([LiveKind.Direct], (await a.SubscribeAsync([LiveKind.Direct])).Value.Kinds);
        await EverythingAsync(b, watcher.CharacterId, bLogin.System.System, "first");
        var onlyDirect = await a.CollectAsync(TimeSpan.FromSeconds(3));
        Assert.Equal([ServerMessage.BodyOneofCase.DirectMessage], onlyDirect.Select(e => e.Message!.BodyCase));

        await a.SubscribeAsync([LiveKind.SystemChat, LiveKind.Mail, LiveKind.Channels]);
        await EverythingAsync(b, watcher.CharacterId, bLogin.System.System, "second");
        var chosen = await a.CollectAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(
            [ServerMessage.BodyOneofCase.ChatMessage, ServerMessage.BodyOneofCase.ChannelMessage, ServerMessage.BodyOneofCase.MailArrived],
            chosen.Select(e => e.Message!.BodyCase).Order());

        await a.SubscribeAsync([LiveKind.Friends, LiveKind.SystemPresence]);
        await b.LogoutAsync();
        var presence = await a.CollectAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(
            [ServerMessage.BodyOneofCase.CharacterDeparted, ServerMessage.BodyOneofCase.FriendPresence],
            presence.Select(e => e.Message!.BodyCase).Order());
        Assert.False(presence.Single(e => e.Friend is not null).Friend!.Online);

        var none = await a.SubscribeAsync([]);
        Assert.Empty(none.Value.Kinds);
        var bad = await a.SendAsync(new ClientMessage { Subscribe = new Subscribe { Kinds = { (LiveKind)99 } } });
        Assert.Equal(ErrorCode.InvalidArgument, bad.Value.Error.Code);
    }

    /// <summary>One of each kind the watcher could hear from <paramref name="from"/>, who stays in its system.</summary>
    private static async Task EverythingAsync(QuonceptConnection from, string watcherId, SystemInfo here, string tag)
    {
        await from.ChatAsync("system " + tag);
        await from.SayAsync("world", "world " + tag);
        await from.SendMailAsync(watcherId, "mail " + tag, "body");
        await from.SendDirectAsync(watcherId, "direct " + tag);
    }

    [Fact]
    public async Task Social_BadInput_AnsweredWithClearErrors()
    {
        var user = universe.Users.Take();
        var session = (await universe.A.CreateSessionAsync(user.Username)).Value;
        await using var c = await universe.A.ConnectAsync(session);
        var early = await Assert.ThrowsAsync<RequestFailedException>(() => c.SayAsync("world", "too early"));
        Assert.Equal(ErrorCode.FailedPrecondition, early.Code);
        await c.LoginAsync();

        async Task<ErrorCode> CodeOf(Func<Task> call) => (await Assert.ThrowsAsync<RequestFailedException>(call)).Code;
        Assert.Equal(ErrorCode.InvalidArgument, await CodeOf(() => c.JoinChannelAsync("No Spaces")));
        Assert.Equal(ErrorCode.NotFound, await CodeOf(() => c.JoinChannelAsync("never-made-" + Guid.NewGuid().ToString("N")[..6])));
        Assert.Equal(ErrorCode.InvalidArgument, await CodeOf(() => c.SayAsync("world", "")));
        Assert.Equal(ErrorCode.InvalidArgument, await CodeOf(() => c.SayAsync("world", new string('x', 501))));
        Assert.Equal(ErrorCode.NotFound, await CodeOf(() => c.SendMailAsync("c-no-such-character", "s", "b")));
        Assert.Equal(ErrorCode.NotFound, await CodeOf(() => c.SendDirectAsync("c-no-such-character", "hello?")));
        Assert.Equal(ErrorCode.InvalidArgument, await CodeOf(() => c.SendDirectAsync("bad id!", "hello?")));
        Assert.Equal(ErrorCode.NotFound, await CodeOf(() => c.ReadMailAsync(12345)));

        // Pipelined: far more lines than the bucket refills while the gateway answers them.
        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            c.SendAsync(new ClientMessage { SayInChannel = new SayInChannel { Channel = "world", Text = "spam " + i } })));
        var limited = answers.Where(a => a.Value.Error?.Code == ErrorCode.ResourceExhausted).ToList();
        Assert.NotEmpty(limited);
        Assert.Contains("per second", limited[0].Value.Error.Message);
        // The bucket was full but for the two sends to an unknown character above: the first lines went through.
        Assert.NotNull(answers[0].Value.ChannelSaid);
        await c.LogoutAsync();
    }

    [Fact]
    public async Task Cli_SocialCommands_ChannelsDirectMailFriends()
    {
        var (cliUser, other) = (universe.Users.Take(), universe.Users.Take());
        var (b, _) = await LogInAsync(universe.B, other.Username);
        await using var _b = b;
        var channel = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var input = $"/help\n/create {channel}\n/c {channel} hello channel\n/world hello world\n/w {other.CharacterId} psst\n" +
            $"/mail send {other.CharacterId} Greetings | A longer body\n/follow {other.CharacterId}\n/friends\n/mail\n/sub chat direct\n/sub sideways\n/logout\n";

        var (code, output) = await UniverseTests.RunCliAsync(["login", cliUser.Username, "--gateway", universe.GatewayA.ToString()], input);

        Assert.True(code == 0, output);
        foreach (var expected in new[] { "/w <character id> <text>", $"created {channel}", $"said in {channel} (#1", "said in world", $"to {other.CharacterId}: delivered", "mail 1 sent", "online", "mailbox: 0/50", "live events: chat, direct", "usage: /sub" })
        {
            Assert.Contains(expected, output);
        }
        Assert.Equal("psst", (await b.NextAsync(e => e.Direct is not null, "the CLI's direct message")).Direct!.Text);
        Assert.Equal("Greetings", (await b.NextAsync(e => e.Mail is not null, "the CLI's mail")).Mail!.Header.Subject);
    }

    [Fact]
    public async Task PythonClient_DirectMessageToAnOfflineCharacter_ArrivesAtItsLogin()
    {
        const string python = "/usr/bin/python3";
        Assert.True(File.Exists(python), $"{python} is missing: install Debian's python3-grpcio and python3-protobuf (./test.sh does)");
        var protoc = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "grpc.tools", "2.85.0", "tools", "linux_x64", "protoc");
        var (pythonUser, recipient) = (universe.Users.Take(), universe.Users.Take());
        var info = new System.Diagnostics.ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(RepoPaths.Root, "client", "python", "quoncept_client.py"), "--gateway", universe.GatewayA.ToString().TrimEnd('/'), "--user", pythonUser.Username, "--protoc", protoc, "--dm", recipient.CharacterId, "--dm-text", "hello from grpcio" })
        {
            info.ArgumentList.Add(a);
        }
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the python client did not finish in 60 s:\n{await stdout}\n{await stderr}");
        }
        Assert.True(process.ExitCode == 0, $"python client exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        Assert.Contains($"to {recipient.CharacterId}: kept until they log in", await stdout);

        var (b, login) = await LogInAsync(universe.B, recipient.Username);
        await using var _b = b;
        Assert.Equal(1u, login.Social.WaitingDirectMessages);
        var kept = await b.NextAsync(e => e.Direct is not null, "the python client's direct message");
        Assert.Equal(("hello from grpcio", pythonUser.CharacterId), (kept.Direct!.Text, kept.Direct.FromCharacterId));
    }

    [Fact]
    public async Task Cli_ChatBench_TinyRun_EveryLineReachesEveryListener()
    {
        var firstUser = universe.Users.TakeBlock(6);

        var (code, output) = await UniverseTests.RunCliAsync(
            ["chat-bench", "--gateway", universe.GatewayA.ToString(), "--also", universe.GatewayB.ToString(), "--clients", "6", "--lines-per-second", "4", "--seconds", "2", "--first", firstUser.ToString(System.Globalization.CultureInfo.InvariantCulture)], "");

        Assert.True(code == 0, output);
        Assert.Contains("delivery latency: p50", output);
        Assert.Contains("failures:         0", output);
    }
}
