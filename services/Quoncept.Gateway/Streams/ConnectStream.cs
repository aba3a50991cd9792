using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Quoncept.Contracts;
using Quoncept.Gateway.Connections;
using Quoncept.Gateway.Routing;
using Quoncept.Gateway.Social;
using Quoncept.V1;

namespace Quoncept.Gateway.Streams;

/// <summary>
/// One admitted connection, whatever its transport (the gRPC Connect call or a browser's
/// WebSocket, <see cref="IClientTransport"/>): one read loop turning client requests into actor
/// calls, one writer (the connection's) sending answers and live events. Requests of a
/// connection are handled one at a time, in order, like a router's per-connection state machine.
/// </summary>
internal sealed class ConnectStream(
    ClientConnection connection,
    ActorDirectory actors,
    LiveEventRouter router,
    SocialRequests social,
    ChatGroupCommit chats,
    Limits.ClientLimits limits,
    IOptions<GatewayOptions> options,
    ILogger<ConnectStream> logger)
{
    private readonly SessionIdentity _me = connection.Identity;
    private readonly string _rateKey = Limits.ClientLimits.StreamKey(connection.Identity.Username, connection.ConnectionId);

    /// <summary>Runs the connection to its end; then hands the session to its grace period unless it was taken away.</summary>
    /// <returns>True when the server terminated the connection and its Terminate message was written.</returns>
    public async Task<bool> RunAsync(IClientTransport transport, bool resumed, CancellationToken callToken)
    {
        router.Add(connection);
        GatewayMetrics.StreamOpened();
        var streamSpan = Activity.Current;
        // Sent messages are counted a run of one type at a time: under fan-out most writes are chat lines, one flush apart.
        var (runType, runLength) = (ServerMessage.BodyOneofCase.None, 0);
        var writer = connection.RunWriterAsync((message, moreFollow) =>
        {
            var type = message.Message.BodyCase;
            if (runLength > 0 && type != runType)
            {
                GatewayMetrics.MessagesSent(runType, runLength);
                runLength = 0;
            }
            runType = type;
            runLength++;
            if (!moreFollow)
            {
                GatewayMetrics.MessagesSent(runType, runLength);
                runLength = 0;
            }
            return transport.WriteAsync(message, moreFollow, callToken);
        }, options.Value.TerminateWriteTimeout, callToken);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(callToken, connection.TerminatedToken);
        var pipelined = new PipelinedChats(options.Value.ChatsInFlightPerStream);
        try
        {
            if (resumed) await RejoinAsync().ConfigureAwait(false);
            while (await NextRequestAsync(transport, reading.Token).ConfigureAwait(false) is { } request)
            {
                GatewayMetrics.MessageReceived(request);
                if (request.BodyCase == ClientMessage.BodyOneofCase.Chat)
                {
                    // A chat need not wait for the one before it: the system's queue (ChatGroupCommit) keeps their order.
                    await pipelined.AddAsync(previous => AnswerAsync(request, streamSpan, previous)).ConfigureAwait(false);
                    continue;
                }
                // Anything else is handled after the chats before it (a move must not overtake a line said before it).
                await pipelined.DrainAsync().ConfigureAwait(false);
                await AnswerAsync(request, streamSpan, Task.CompletedTask).ConfigureAwait(false);
            }
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            // An IOException too, but not the client going away: the call ends with a status that says what was wrong.
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"a message on the stream is not a valid quoncept.v1.ClientMessage ({e.Message}); the stream is closed"));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away (reset, connection lost) or the stream was terminated: either way the call is over.
        }
        finally
        {
            await pipelined.DrainAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            router.Remove(connection);
            social.Remove(connection);
            connection.Complete();
            await ((Task)writer).WaitAsync(options.Value.TerminateWriteTimeout * 2, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            connection.DropQueued();
            GatewayMetrics.StreamClosed();
            await DetachAsync().ConfigureAwait(false);
        }
        var terminateWritten = writer.IsCompletedSuccessfully && writer.Result;
        if (connection.Termination is { Reason: ClientConnection.SlowConsumer } cut)
        {
            GatewayMetrics.SlowConsumerCut(terminateWritten);
            logger.LogWarning("Cut slow consumer: connection {ConnectionId} of {Username} ({Reason}); {Outcome}", connection.ConnectionId, _me.Username, cut.Message,
                terminateWritten ? "sent Terminate" : "it did not accept the Terminate in time");
        }
        return terminateWritten;
    }

    /// <summary>
    /// Handles one request and queues its answer, after <paramref name="previous"/> (the answer of the chat before it,
    /// so that pipelined chats are answered in the order they were sent).
    /// </summary>
    private async Task AnswerAsync(ClientMessage request, Activity? streamSpan, Task previous)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = GatewayTracing.StartRequest(request, streamSpan, options.Value.GatewayId);
        var (reply, entered) = await HandleAsync(request).ConfigureAwait(false);
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (reply.BodyCase == ServerMessage.BodyOneofCase.Error) span?.SetStatus(ActivityStatusCode.Error, reply.Error.Code.ToString());
        // Answers that change where the character is keep their place among the events (those newer than a
        // snapshot follow it); chat results, pongs and refusals go ahead of the events queued for this client.
        if (reply.BodyCase is ServerMessage.BodyOneofCase.LoginResult or ServerMessage.BodyOneofCase.MoveResult or ServerMessage.BodyOneofCase.LogoutResult) connection.TryEnqueue(reply);
        else connection.TryAnswer(reply);
        social.AfterAnswer(connection);
        GatewayMetrics.RequestAnswered(request, reply, started);
        // After the answer, so that the events newer than its snapshot follow it.
        if (entered is not null) router.EnterSystem(connection, entered.System.Id, entered.Sequence);
    }

    /// <summary>The next request, once the client has room for its answer: one that sends faster than it reads waits here, not in the gateway's memory.</summary>
    private async Task<ClientMessage?> NextRequestAsync(IClientTransport transport, CancellationToken cancellationToken)
    {
        await connection.WaitForAnswerRoomAsync(cancellationToken).ConfigureAwait(false);
        return await transport.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands the session to its grace period, unless it was taken away (replaced, or reopened by the same connection id).</summary>
    private async Task DetachAsync()
    {
        if (connection.Termination?.Reason is SessionEndReasons.Replaced or "reconnected") return;
        try
        {
            await actors.Session(_me.Username).DetachAsync(new DetachSession(_me.SessionId, connection.ConnectionId, options.Value.GatewayId, connection.Attachment)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Detaching connection {ConnectionId} of {Username} failed; the session keeps it attached", connection.ConnectionId, _me.Username);
        }
    }

    /// <summary>
    /// A resumed connection gets its system's live events again from the current snapshot on. If
    /// that cannot be read now, the stream still runs: the client's next Login (idempotent) rejoins.
    /// </summary>
    private async Task RejoinAsync()
    {
        try
        {
            var lookup = await actors.Character(_me.CharacterId).GetAsync().ConfigureAwait(false);
            if (lookup.Character is not { Online: true } character) return;
            await social.ComeOnlineAsync(connection, character.Name).ConfigureAwait(false);
            social.AfterAnswer(connection);
            var snapshot = await actors.System(character.SystemId).GetSnapshotAsync().ConfigureAwait(false);
            if (snapshot.Snapshot is { } s) router.EnterSystem(connection, character.SystemId, s.Sequence);
        }
        catch (Exception e) when (e is global::Dapr.DaprException or HttpRequestException)
        {
            logger.LogWarning(e, "Rejoining the system of resumed connection {ConnectionId} failed; waiting for the client's Login", connection.ConnectionId);
        }
    }

    /// <summary>The answer to one request and, for Login and Move, the snapshot of the system entered.</summary>
    private async Task<(ServerMessage Reply, SystemSnapshotView? Entered)> HandleAsync(ClientMessage request)
    {
        if (limits.RefuseRequest(_rateKey) is { } overRate)
        {
            overRate.RequestId = request.RequestId;
            return (overRate, null);
        }
        if (ClientInput.CheckId(request.RequestId, "request_id") is { } badId)
        {
            // Echoed even when malformed, so that the client can tell which request was refused.
            var refused = ProtoMapping.Error(ErrorCode.InvalidArgument, badId);
            refused.RequestId = request.RequestId;
            return (refused, null);
        }
        (ServerMessage Reply, SystemSnapshotView? Entered) answer;
        try
        {
            answer = request.BodyCase switch
            {
                ClientMessage.BodyOneofCase.Login => await LoginAsync(request.RequestId).ConfigureAwait(false),
                ClientMessage.BodyOneofCase.Logout => (await LogoutAsync(request.RequestId).ConfigureAwait(false), null),
                ClientMessage.BodyOneofCase.Move => await MoveAsync(request.RequestId, request.Move).ConfigureAwait(false),
                ClientMessage.BodyOneofCase.Chat => (await ChatAsync(request.RequestId, request.Chat).ConfigureAwait(false), null),
                var body when SocialRequests.Handles(body) => (await social.HandleAsync(connection, request).ConfigureAwait(false), null),
                ClientMessage.BodyOneofCase.Ping => (new ServerMessage
                {
                    Pong = new Pong { ClientTimeUnixMs = request.Ping.ClientTimeUnixMs, ServerTimeUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                }, null),
                _ => (ProtoMapping.Error(ErrorCode.InvalidArgument, "the message has no body: set one of login, logout, move, chat, ping"), null),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "{Kind} request {RequestId} of {Username} failed", request.BodyCase, request.RequestId, _me.Username);
            answer = (ProtoMapping.Error(ErrorCode.Unavailable, $"the {request.BodyCase.ToString().ToLowerInvariant()} could not be completed now; retry with the same request id"), null);
        }
        answer.Reply.RequestId = request.RequestId;
        return answer;
    }

    private async Task<(ServerMessage, SystemSnapshotView?)> LoginAsync(string requestId)
    {
        // The social side comes online beside the character's login, not after it: they touch different actors, and
        // the login's answer waits for the slower of the two instead of their sum.
        var comingOnline = social.CallComeOnlineAsync(connection);
        LoginOutcome outcome;
        try
        {
            outcome = await actors.Character(_me.CharacterId).LoginAsync(new LoginCommand(requestId, connection.ConnectionId)).ConfigureAwait(false);
        }
        catch
        {
            await social.AbandonAsync(connection, comingOnline).ConfigureAwait(false);
            throw;
        }
        if (outcome.Error is { } error)
        {
            await social.AbandonAsync(connection, comingOnline).ConfigureAwait(false);
            return (error.ToErrorMessage(), null);
        }
        var (character, snapshot) = (outcome.Character!, outcome.System!);
        var result = new LoginResult { Character = character.ToProto(), System = snapshot.ToProto() };
        result.Social = social.Register(connection, character.Name, await comingOnline.ConfigureAwait(false));
        return (new ServerMessage { LoginResult = result }, snapshot);
    }

    private async Task<(ServerMessage, SystemSnapshotView?)> MoveAsync(string requestId, Move move)
    {
        if (ClientInput.CheckId(move.ToSystemId, "to_system_id") is { } bad) return (ProtoMapping.Error(ErrorCode.InvalidArgument, bad), null);
        var outcome = await actors.Character(_me.CharacterId).MoveAsync(new MoveCommand(requestId, connection.ConnectionId, move.ToSystemId)).ConfigureAwait(false);
        if (outcome.Error is { } error) return (error.ToErrorMessage(), null);
        var (character, snapshot) = (outcome.Character!, outcome.System!);
        return (new ServerMessage { MoveResult = new MoveResult { Character = character.ToProto(), System = snapshot.ToProto() } }, snapshot);
    }

    private async Task<ServerMessage> LogoutAsync(string requestId)
    {
        var outcome = await actors.Character(_me.CharacterId).LogoutAsync(new LogoutCommand(requestId, connection.ConnectionId, DepartureReasons.Logout)).ConfigureAwait(false);
        if (outcome.Error is { } error) return error.ToErrorMessage();
        router.LeaveSystem(connection);
        await social.LogoutAsync(connection).ConfigureAwait(false);
        return new ServerMessage { LogoutResult = new LogoutResult { Character = outcome.Character?.ToProto() } };
    }

    private async Task<ServerMessage> ChatAsync(string requestId, Chat chat)
    {
        if (ClientInput.CheckChatText(chat.Text) is { } bad) return ProtoMapping.Error(ErrorCode.InvalidArgument, bad);
        if (connection.SystemId is not { } systemId) return ProtoMapping.Error(ErrorCode.FailedPrecondition, "log in before chatting");
        var outcome = await chats.SayAsync(systemId, new ChatCommand(requestId, connection.ConnectionId, _me.CharacterId, chat.Text)).ConfigureAwait(false);
        if (outcome.Error is { } error) return error.ToErrorMessage();
        return new ServerMessage { ChatResult = new ChatResult { Sequence = outcome.Sequence } };
    }
}
