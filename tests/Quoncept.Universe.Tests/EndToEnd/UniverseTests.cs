using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Quoncept.Client;
using Quoncept.Contracts;
using Grpc.Core;
using Grpc.Net.Client;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>The universe end to end: every service and two gateways through the local runtime, clients over gRPC.</summary>
[Collection(UniverseCollection.Name)]
public sealed class UniverseTests(UniverseFixture universe)
{
    private async Task<(QuonceptConnection Connection, LoginResult Login, CreateSessionResponse Session)> LogInAsync(QuonceptClient gateway, string username)
    {
        var session = (await gateway.CreateSessionAsync(username)).Value;
        var connection = await gateway.ConnectAsync(session);
        var login = (await connection.LoginAsync()).Value;
        return (connection, login, session);
    }

    [Fact]
    public async Task TwoGateways_AliceAndBob_SeeEachOtherArriveChatMoveAndLogOut()
    {
        var (alice, aliceLogin, _) = await LogInAsync(universe.A, "alice");
        await using var _a = alice;
        var (bob, bobLogin, bobSession) = await LogInAsync(universe.B, "bob");
        await using var _b = bob;
        var here = aliceLogin.System.System;
        Assert.Equal(here.Id, bobLogin.System.System.Id);
        Assert.Contains(bobLogin.System.Present, c => c.Name == "Alice");

        var arrived = await alice.NextAsync(e => e.Arrived?.Character.Id == bobSession.CharacterId, "Bob's arrival on gateway A");
        Assert.Equal(here.Id, arrived.Arrived!.SystemId);
        Assert.True(arrived.Arrived.Sequence > aliceLogin.System.Sequence);

        var said = await alice.ChatAsync("hello bob");
        var heard = await bob.NextAsync(e => e.Chat?.Text == "hello bob", "Alice's chat on gateway B");
        Assert.Equal(said.Value.Sequence, heard.Chat!.Sequence);
        Assert.Equal("Alice", heard.Chat.CharacterName);

        var away = here.Neighbours[0].Id;
        var moved = await bob.MoveAsync(away);
        Assert.Equal(away, moved.Value.System.System.Id);
        var left = await alice.NextAsync(e => e.Departed?.CharacterId == bobSession.CharacterId, "Bob's departure");
        Assert.Equal(("moved", away), (left.Departed!.Reason, left.Departed.ToSystemId));

        await bob.MoveAsync(here.Id);
        var back = await alice.NextAsync(e => e.Arrived?.Character.Id == bobSession.CharacterId, "Bob's return");
        Assert.Equal(away, back.Arrived!.FromSystemId);

        await bob.LogoutAsync();
        var gone = await alice.NextAsync(e => e.Departed?.CharacterId == bobSession.CharacterId, "Bob's logout");
        Assert.Equal("logout", gone.Departed!.Reason);
        await alice.LogoutAsync();
    }

    [Fact]
    public async Task CreateSession_UnknownUser_IsNotFound()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => universe.A.CreateSessionAsync("nobody-by-this-name"));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public async Task CreateSession_MalformedUsername_IsInvalidArgument()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => universe.A.CreateSessionAsync("no spaces please"));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task CreateSession_SecondSession_TerminatesTheFirstAsReplaced()
    {
        var (user, _) = universe.Users.Take();
        var (first, _, firstSession) = await LogInAsync(universe.A, user);
        await using var _f = first;

        var (second, _, _) = await LogInAsync(universe.B, user);
        await using var _s = second;

        var terminate = await first.NextAsync(e => e.Terminate is not null, "Terminate on the first session's stream");
        Assert.Equal("replaced", terminate.Terminate!.Reason);
        await first.StreamEnded.WaitAsync(TimeSpan.FromSeconds(10));
        var again = await Assert.ThrowsAsync<RpcException>(() => universe.A.ConnectAsync(firstSession));
        Assert.Equal(StatusCode.Unauthenticated, again.StatusCode);
        await second.PingAsync();
    }

    [Fact]
    public async Task Connect_DroppedAndResumedWithinGrace_OthersSeeNothing()
    {
        var pair = universe.Users.TakeGroup(2);
        var (watcherUser, (dropperUser, dropperId)) = (pair[0].Username, pair[1]);
        var (watcher, _, _) = await LogInAsync(universe.A, watcherUser);
        await using var _w = watcher;
        var (dropper, _, _) = await LogInAsync(universe.B, dropperUser);
        await using var _d = dropper;
        await watcher.NextAsync(e => e.Arrived?.Character.Id == dropperId, "the dropper's arrival");

        await dropper.DropAsync();
        await Task.Delay(UniverseFixture.GracePeriod / 3);
        var resumed = await dropper.ReconnectAsync();
        Assert.NotNull(resumed);
        await dropper.ChatAsync("still here");

        var seen = await watcher.CollectAsync(UniverseFixture.GracePeriod + TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(seen, e => e.Departed?.CharacterId == dropperId || e.Arrived?.Character.Id == dropperId);
        Assert.Contains(seen, e => e.Chat?.Text == "still here");
    }

    [Fact]
    public async Task Connect_DroppedAndResumedOnTheOtherGateway_OthersSeeNothing()
    {
        var pair = universe.Users.TakeGroup(2);
        var (watcherUser, (dropperUser, dropperId)) = (pair[0].Username, pair[1]);
        var (watcher, _, _) = await LogInAsync(universe.A, watcherUser);
        await using var _w = watcher;
        var (dropper, _, dropperSession) = await LogInAsync(universe.A, dropperUser);
        await watcher.NextAsync(e => e.Arrived?.Character.Id == dropperId, "the dropper's arrival");

        await dropper.DropAsync();
        await using var resumed = await universe.B.ConnectAsync(dropperSession, dropper.ConnectionId);
        var login = await resumed.LoginAsync();
        Assert.Contains(login.Value.System.Present, c => c.Id == dropperId);
        await resumed.ChatAsync("now on gateway B");

        var seen = await watcher.CollectAsync(UniverseFixture.GracePeriod + TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(seen, e => e.Departed?.CharacterId == dropperId || e.Arrived?.Character.Id == dropperId);
        Assert.Contains(seen, e => e.Chat?.Text == "now on gateway B");
        await dropper.DisposeAsync();
    }

    [Fact]
    public async Task Connect_DroppedWithoutReconnect_DepartsAfterTheGracePeriod()
    {
        var pair = universe.Users.TakeGroup(2);
        var (watcherUser, (dropperUser, dropperId)) = (pair[0].Username, pair[1]);
        var (watcher, _, _) = await LogInAsync(universe.A, watcherUser);
        await using var _w = watcher;
        var (dropper, _, _) = await LogInAsync(universe.A, dropperUser);
        await watcher.NextAsync(e => e.Arrived?.Character.Id == dropperId, "the dropper's arrival");

        var dropped = DateTime.UtcNow;
        await dropper.DropAsync();
        var departed = await watcher.NextAsync(e => e.Departed?.CharacterId == dropperId, "the timed-out departure", UniverseFixture.GracePeriod + TimeSpan.FromSeconds(10));
        Assert.Equal("timeout", departed.Departed!.Reason);
        Assert.True(DateTime.UtcNow - dropped >= UniverseFixture.GracePeriod - TimeSpan.FromMilliseconds(200), "the departure came before the grace period ended");
        await dropper.DisposeAsync();
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjMDAwMDAxIn0.c2lnbmF0dXJl")]
    public async Task Connect_InvalidToken_IsUnauthenticated(string token)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => universe.A.ConnectAsync(new CreateSessionResponse { Token = token }));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task Connect_TokenSignedWithAnotherKey_IsUnauthenticated()
    {
        var (user, characterId) = universe.Users.Take();
        var session = (await universe.A.CreateSessionAsync(user)).Value;
        var forged = Token(characterId, session.SessionId, user, DateTime.UtcNow.AddHours(1), key: "another-key-of-at-least-thirty-two-bytes!!");
        var e = await Assert.ThrowsAsync<RpcException>(() => universe.A.ConnectAsync(new CreateSessionResponse { Token = forged }));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("signature", e.Status.Detail);
    }

    [Fact]
    public async Task Connect_ExpiredToken_IsUnauthenticated()
    {
        var (user, characterId) = universe.Users.Take();
        var session = (await universe.A.CreateSessionAsync(user)).Value;
        var expired = Token(characterId, session.SessionId, user, DateTime.UtcNow.AddMinutes(-5));
        var e = await Assert.ThrowsAsync<RpcException>(() => universe.A.ConnectAsync(new CreateSessionResponse { Token = expired }));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("expired", e.Status.Detail);
    }

    [Theory]
    [InlineData(null, StatusCode.InvalidArgument)]
    [InlineData("has spaces", StatusCode.InvalidArgument)]
    [InlineData("ok-id", StatusCode.OK)]
    public async Task Connect_ConnectionIdMetadata_IsRequiredAndWellFormed(string? connectionId, StatusCode expected)
    {
        var (user, _) = universe.Users.Take();
        var session = (await universe.A.CreateSessionAsync(user)).Value;
        using var channel = GrpcChannel.ForAddress(universe.GatewayA);
        var headers = new Metadata { { "authorization", "Bearer " + session.Token } };
        if (connectionId is not null) headers.Add("connection-id", connectionId + "-" + Guid.NewGuid().ToString("N")[..6]);
        using var call = new V1.Gateway.GatewayClient(channel).Connect(headers, DateTime.UtcNow.AddSeconds(10));
        try
        {
            await call.RequestStream.WriteAsync(new ClientMessage { RequestId = "p1", Ping = new Ping() });
        }
        catch (Exception early) when (expected != StatusCode.OK && early is RpcException or InvalidOperationException)
        {
            // The refusal can end the call before the write: the status below still says why.
        }
        if (expected == StatusCode.OK)
        {
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(ServerMessage.BodyOneofCase.Pong, call.ResponseStream.Current.BodyCase);
            await call.RequestStream.CompleteAsync();
            return;
        }
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(expected, e.StatusCode);
    }

    [Fact]
    public async Task Connect_NoAuthorization_IsUnauthenticated()
    {
        using var channel = GrpcChannel.ForAddress(universe.GatewayA);
        using var call = new V1.Gateway.GatewayClient(channel).Connect(new Metadata { { "connection-id", "c1" } }, DateTime.UtcNow.AddSeconds(10));
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task Chat_ManySpeakersAtOnceInOneSystem_EveryLineOnceInSequenceOrderWithItsAnsweredNumber()
    {
        var group = universe.Users.TakeGroup(9);
        var (listener, _, _) = await LogInAsync(universe.B, group[0].Username);
        await using var _l = listener;
        var speakers = new List<QuonceptConnection>();
        foreach (var (user, _) in group.Skip(1)) speakers.Add((await LogInAsync(universe.A, user)).Connection);
        var tag = Guid.NewGuid().ToString("N")[..8];

        // All speakers at once, five lines each: on gateway A the lines queue behind each other's calls to the
        // system actor and go in batches (ChatsPosted); everyone must still hear each line once, in order.
        var answered = (await Task.WhenAll(speakers.Select(async (speaker, k) =>
        {
            var said = new List<(string Text, ulong Sequence)>();
            for (var j = 0; j < 5; j++)
            {
                var text = $"burst {k}.{j} {tag}";
                said.Add((text, (await speaker.ChatAsync(text)).Value.Sequence));
            }
            return said;
        }))).SelectMany(s => s).ToList();

        var heard = new List<(string Text, ulong Sequence)>();
        while (heard.Count < answered.Count)
        {
            var line = await listener.NextAsync(e => e.Chat?.Text.EndsWith(tag, StringComparison.Ordinal) == true, $"burst line {heard.Count + 1} of {answered.Count}", TimeSpan.FromSeconds(20));
            heard.Add((line.Chat!.Text, line.Chat.Sequence));
        }
        Assert.Equal(answered.Count, answered.Select(a => a.Sequence).Distinct().Count());
        Assert.Equal(answered.OrderBy(a => a.Sequence), heard);
        Assert.DoesNotContain(await listener.CollectAsync(TimeSpan.FromMilliseconds(500)), e => e.Chat?.Text.EndsWith(tag, StringComparison.Ordinal) == true);
        foreach (var speaker in speakers) await speaker.DisposeAsync();
    }

    [Fact]
    public async Task Stream_RepeatedRequestId_AnswersTheFirstResultWithoutASecondEffect()
    {
        var pair = universe.Users.TakeGroup(2);
        var (watcherUser, (talkerUser, talkerId)) = (pair[0].Username, pair[1]);
        var (watcher, _, _) = await LogInAsync(universe.A, watcherUser);
        await using var _w = watcher;
        var (talker, _, _) = await LogInAsync(universe.B, talkerUser);
        await using var _t = talker;

        var first = await talker.SendAsync(new ClientMessage { RequestId = "say-once", Chat = new Chat { Text = "only once" } });
        var second = await talker.SendAsync(new ClientMessage { RequestId = "say-once", Chat = new Chat { Text = "only once" } });
        Assert.Equal(ServerMessage.BodyOneofCase.ChatResult, first.Value.BodyCase);
        Assert.Equal(first.Value.ChatResult.Sequence, second.Value.ChatResult.Sequence);
        Assert.Equal("say-once", second.Value.RequestId);

        var seen = await watcher.CollectAsync(TimeSpan.FromSeconds(2));
        Assert.Single(seen, e => e.Chat?.CharacterId == talkerId && e.Chat.Text == "only once");
    }

    [Fact]
    public async Task Stream_MalformedRequests_AreAnsweredWithErrorsAndTheStreamStaysOpen()
    {
        var (user, _) = universe.Users.Take();
        var (connection, _, _) = await LogInAsync(universe.A, user);
        await using var _c = connection;

        var noBody = await connection.SendAsync(new ClientMessage { RequestId = "empty" });
        Assert.Equal(ErrorCode.InvalidArgument, noBody.Value.Error.Code);
        var emptyChat = await connection.SendAsync(new ClientMessage { RequestId = "blank", Chat = new Chat { Text = "  " } });
        Assert.Equal(ErrorCode.InvalidArgument, emptyChat.Value.Error.Code);
        var longChat = await connection.SendAsync(new ClientMessage { RequestId = "long", Chat = new Chat { Text = new string('x', 501) } });
        Assert.Equal(ErrorCode.InvalidArgument, longChat.Value.Error.Code);
        var badId = await connection.SendAsync(new ClientMessage { RequestId = new string('r', 65), Ping = new Ping() });
        Assert.Equal(ErrorCode.InvalidArgument, badId.Value.Error.Code);
        await connection.PingAsync();
    }

    [Fact]
    public async Task Move_NotAlongAJumpLane_IsFailedPrecondition()
    {
        var (user, _) = universe.Users.Take();
        var (connection, login, _) = await LogInAsync(universe.A, user);
        await using var _c = connection;
        var here = login.System.System;
        var neighbours = here.Neighbours.Select(n => n.Id).Append(here.Id).ToHashSet();
        var far = Enumerable.Range(1, 600).Select(i => $"s{i:D4}").First(id => !neighbours.Contains(id));

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => connection.MoveAsync(far));
        Assert.Equal(ErrorCode.FailedPrecondition, e.Code);
        var unknown = await Assert.ThrowsAsync<RequestFailedException>(() => connection.MoveAsync("s9999x"));
        Assert.True(unknown.Code is ErrorCode.FailedPrecondition or ErrorCode.NotFound, unknown.Message);
        await connection.PingAsync();
    }

    [Fact]
    public async Task Stream_SlowConsumer_IsCutOffWithTerminateThenResourceExhausted()
    {
        var group = universe.Users.TakeGroup(4);
        var slowUser = group[0].Username;
        var slowSession = (await universe.A.CreateSessionAsync(slowUser)).Value;
        // Holds one event, then stops reading the network: the gateway's queue for it fills.
        await using var slow = await universe.A.ConnectAsync(slowSession, options: new ConnectionOptions { EventCapacity = 1 });
        await slow.LoginAsync();

        var talkers = new List<QuonceptConnection>();
        foreach (var (talker, _) in group.Skip(1)) talkers.Add((await LogInAsync(universe.B, talker)).Connection);
        // About 1.2 MB of chat for a client that reads none of it: far more than the buffers
        // between the gateway's queue and the client hold (the gRPC layer's batching, Kestrel,
        // HTTP/2 windows: a few hundred KB), so the queue overflows. When the client reads again,
        // the Terminate the gateway has been holding for it comes after what was already sent.
        // Chatting stops once gateway A counts the cut (its /metrics), so the client starts reading again well
        // within the gateway's TerminateWriteTimeout however slowly this machine runs the rounds.
        var text = new string('z', 480);
        var cutsBefore = await SlowConsumerTerminationsAsync();
        for (var round = 0; round < 700; round++)
        {
            await Task.WhenAll(talkers.Select(t => t.ChatAsync(text)));
            while (talkers[0].Events.TryRead(out _)) { }
            if (round % 10 == 9 && await SlowConsumerTerminationsAsync() > cutsBefore) break;
        }
        var terminate = await slow.NextAsync(e => e.Terminate is not null, "Terminate{slow_consumer}", TimeSpan.FromSeconds(40));
        Assert.Equal("slow_consumer", terminate.Terminate!.Reason);
        // Never a silent cut: the stream's status after the Terminate says why too.
        var status = await slow.StreamEnded.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.Equal(StatusCode.ResourceExhausted, status.StatusCode);
        Assert.Contains("behind", status.Detail, StringComparison.Ordinal);
        // ...and the gateway logged the cut.
        var logged = $"Cut slow consumer: connection {slow.ConnectionId} of {slowUser}";
        for (var i = 0; i < 50 && !universe.Log.Contains(logged, StringComparison.Ordinal); i++) await Task.Delay(100); // the app's output is piped through the runtime
        Assert.Contains(logged, universe.Log, StringComparison.Ordinal);
        foreach (var t in talkers) await t.DisposeAsync();
    }

    /// <summary>Gateway A's count of streams it ended as slow consumers so far (quoncept.gateway.streams.terminated).</summary>
    private async Task<double> SlowConsumerTerminationsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{universe.AppPorts["gateway-1"]}/metrics"));
        return text.Split('\n')
            .Where(l => l.StartsWith("quoncept_gateway_streams_terminated_total{", StringComparison.Ordinal) && l.Contains("quoncept_termination_reason=\"slow_consumer\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task GetCharacterAndGetSystem_KnownAndUnknown()
    {
        var alice = await universe.B.GetCharacterAsync("c000001");
        Assert.Equal("Alice", alice.Name);
        var system = await universe.B.GetSystemAsync(alice.SystemId);
        Assert.NotEmpty(system.Neighbours);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => universe.B.GetCharacterAsync("c999999999"))).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => universe.B.GetSystemAsync("s99999"))).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => universe.B.GetSystemAsync(""))).StatusCode);
    }

    [Fact]
    public async Task Health_GatewayServesTheStandardHealthService()
    {
        using var channel = GrpcChannel.ForAddress(universe.GatewayB);
        var response = await new global::Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Request_CancelledByItsCaller_TheStreamServesTheNextOnes()
    {
        var (connection, _, _) = await LogInAsync(universe.A, universe.Users.Take().Username);
        await using var _c = connection;
        for (var i = 0; i < 20; i++)
        {
            using var cancel = new CancellationTokenSource();
            var chat = connection.ChatAsync("given up " + i, cancel.Token);
            await cancel.CancelAsync();
            try
            {
                await chat;
            }
            catch (OperationCanceledException)
            {
            }
        }

        Assert.False(connection.StreamEnded.IsCompleted, "a request given up by its caller ended the stream");
        await connection.PingAsync();
        await connection.LogoutAsync();
    }

    [Fact]
    public async Task Reflection_ListsTheGatewayAndHealthServices()
    {
        using var channel = GrpcChannel.ForAddress(universe.GatewayA);
        using var call = new global::Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(10));
        await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1.ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("quoncept.v1.Gateway", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task PythonClient_GrpcioAgainstTheUniverse_LogsInChatsAndLogsOut()
    {
        const string python = "/usr/bin/python3";
        Assert.True(File.Exists(python), $"{python} is missing: install Debian's python3-grpcio and python3-protobuf (./test.sh does)");
        var protoc = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "grpc.tools", "2.85.0", "tools", "linux_x64", "protoc");
        var (user, _) = universe.Users.Take();
        var info = new System.Diagnostics.ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(RepoPaths.Root, "client", "python", "quoncept_client.py"), "--gateway", universe.GatewayA.ToString().TrimEnd('/'), "--user", user, "--protoc", protoc })
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
        Assert.Contains("heard [", await stdout);
        Assert.Contains("logged out: ok", await stdout);
    }

    [Fact]
    public async Task Cli_LoginWithPipedCommands_ChatsMovesAndLogsOut()
    {
        var (user, _) = universe.Users.Take();
        var (code, output) = await RunCliAsync(["login", user, "--gateway", universe.GatewayB.ToString()], "/ping\nhello from the cli\n/who\n/logout\n");
        Assert.True(code == 0, $"quoncept login exited {code}:\n{output}");
        Assert.Contains("logged in via", output);
        Assert.Contains("pong", output);
        Assert.Contains("hello from the cli", output);
        Assert.Contains("logged out", output);
    }

    [Fact]
    public async Task Cli_LoginUnknownUser_ExitsWithNotFound()
    {
        var (code, output) = await RunCliAsync(["login", "nobody-by-this-name", "--gateway", universe.GatewayA.ToString()], "");
        Assert.Equal(2, code);
        Assert.Contains("NotFound", output);
    }

    [Theory]
    [InlineData("20")] // clients arrive 20 a second and play as soon as they are in
    [InlineData("0")] // a login storm, then everyone plays
    public async Task Cli_Bench_SmallRun_PrintsEveryFigure(string loginRate)
    {
        var first = universe.Users.TakeBlock(4);
        var (code, output) = await RunCliAsync(["bench", "--gateway", universe.GatewayA.ToString(), "--also", universe.GatewayB.ToString(), "--clients", "4", "--seconds", "2", "--interval-ms", "200",
            "--login-rate", loginRate, "--first", first.ToString(System.Globalization.CultureInfo.InvariantCulture)], "");
        Assert.True(code == 0, $"quoncept bench exited {code}:\n{output}");
        foreach (var figure in new[] { "login round-trip:", "move -> arrival seen by others:", "events delivered/s:", "peak gateway memory", "failures: 0" })
        {
            Assert.Contains(figure, output);
        }
    }

    [Theory]
    [InlineData("--login-rate", "-1", "--login-rate must be 0..10000")]
    [InlineData("--interval-ms", "10", "--interval-ms must be 50..60000")]
    public async Task Cli_Bench_OutOfRangeFlag_ExitsWithTheRule(string flag, string value, string message)
    {
        var (code, output) = await RunCliAsync(["bench", "--gateway", universe.GatewayA.ToString(), flag, value], "");
        Assert.NotEqual(0, code);
        Assert.Contains(message, output);
    }

    /// <summary>Runs the quoncept CLI (built alongside the tests) with <paramref name="input"/> on its stdin.</summary>
    internal static async Task<(int ExitCode, string Output)> RunCliAsync(string[] args, string input)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepoPaths.AppDll("client/Quoncept.Cli", "quoncept"));
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 60 s\n" + await stdout + await stderr);
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private string Token(string characterId, string sessionId, string name, DateTime expires, string? key = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["sub"] = characterId, ["sid"] = sessionId, ["name"] = name, ["iss"] = SessionTokens.Issuer, ["aud"] = SessionTokens.Audience,
            },
            IssuedAt = expires.AddHours(-1),
            NotBefore = expires.AddHours(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key ?? universe.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
}
