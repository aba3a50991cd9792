using System.Threading.RateLimiting;
using Dapr.Actors;
using Dapr.Actors.Client;
using Quoncept.Contracts;
using Quoncept.Gateway.Connections;
using Quoncept.Gateway.Streams;
using Quoncept.V1;

namespace Quoncept.Gateway.Social;

/// <summary>
/// The social requests of a Connect stream (social.proto), turned into channel and social actor
/// calls; and the social side of login, resume, logout and the stream's end. Lines (channel,
/// direct, mail) are rate-limited per character with System.Threading.RateLimiting token buckets.
/// </summary>
internal sealed class SocialRequests(IActorProxyFactory proxies, SocialRouter router, TimeProvider clock, ILogger<SocialRequests> logger) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _lines = PartitionedRateLimiter.Create<string, string>(characterId =>
        RateLimitPartition.GetTokenBucketLimiter(characterId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = SocialLimits.LineBurst,
            TokensPerPeriod = SocialLimits.LinesPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public static bool Handles(ClientMessage.BodyOneofCase body) => (int)body is >= 20 and <= 49;

    /// <summary>
    /// After a successful login or resume: the character's social actor comes online, this replica
    /// routes its channels, friends, direct messages and mail to the connection, and the direct
    /// messages kept while it was offline follow the answer. A failure here does not fail the login.
    /// </summary>
    public async Task<SocialSummary?> ComeOnlineAsync(ClientConnection connection, string characterName) =>
        Register(connection, characterName, await CallComeOnlineAsync(connection).ConfigureAwait(false));

    /// <summary>
    /// The social actor's half of <see cref="ComeOnlineAsync"/>, started before the character's login is
    /// answered so that the two run side by side; null when it failed (logged). Its result goes to
    /// <see cref="Register"/> when the login succeeded, to <see cref="AbandonAsync"/> when it did not.
    /// </summary>
    public async Task<SocialLogin?> CallComeOnlineAsync(ClientConnection connection)
    {
        try
        {
            var social = await Social(connection.Identity.CharacterId).ComeOnlineAsync(new ComeOnline(connection.ConnectionId)).ConfigureAwait(false);
            if (social.Error is not { } error) return social;
            logger.LogWarning("The social side of {CharacterId} refused to come online: {Message}", connection.Identity.CharacterId, error.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The social side of {CharacterId} could not come online; channels, messages and mail wait for the next login", connection.Identity.CharacterId);
        }
        return null;
    }

    /// <summary>Routes what <paramref name="social"/> names to the connection; the kept direct messages follow the answer.</summary>
    public SocialSummary? Register(ClientConnection connection, string characterName, SocialLogin? social)
    {
        if (social is null) return null;
        var session = router.Register(connection, characterName, social.Channels, social.Friends);
        lock (session.Gate)
        {
            foreach (var waiting in social.Waiting)
            {
                session.LastDirect = Math.Max(session.LastDirect, waiting.Sequence);
                var message = waiting.ToProto(kept: true);
                session.AfterAnswer.Add(() => connection.TryEnqueue(message));
            }
        }
        var summary = new SocialSummary { UnreadMail = (uint)social.UnreadMail, WaitingDirectMessages = (uint)social.Waiting.Count };
        summary.Channels.AddRange(social.Channels.Select(c => new ChannelInfo { Name = c }));
        summary.Friends.AddRange(social.Friends.Select(f => f.ToProto()));
        return summary;
    }

    /// <summary>
    /// The login that <paramref name="coming"/> went beside failed. The kept messages the social actor already handed
    /// over still reach this stream, the character's own, rather than being lost. Unless this stream came online
    /// before (an earlier login or a resume), the social actor goes offline again, so that direct messages are kept
    /// instead of sent live to a connection that routes none.
    /// </summary>
    public async Task AbandonAsync(ClientConnection connection, Task<SocialLogin?> coming)
    {
        if (await coming.ConfigureAwait(false) is not { } social) return;
        foreach (var waiting in social.Waiting) connection.TryEnqueue(waiting.ToProto(kept: true));
        if (router.SessionOf(connection) is null) await GoOfflineAsync(connection).ConfigureAwait(false);
    }

    /// <summary>Runs what the last answer scheduled (history-ordered room joins, kept direct messages).</summary>
    public void AfterAnswer(ClientConnection connection)
    {
        if (router.SessionOf(connection) is not { } session) return;
        Action[] actions;
        lock (session.Gate)
        {
            if (session.AfterAnswer.Count == 0) return;
            actions = [.. session.AfterAnswer];
            session.AfterAnswer.Clear();
        }
        foreach (var action in actions) action();
    }

    /// <summary>A Logout: offline at once (direct messages are kept from now on), and out of every room here.</summary>
    public async Task LogoutAsync(ClientConnection connection)
    {
        router.Unregister(connection);
        await GoOfflineAsync(connection).ConfigureAwait(false);
    }

    private async Task GoOfflineAsync(ClientConnection connection)
    {
        try
        {
            await Social(connection.Identity.CharacterId).SetPresenceAsync(new PresenceChange(false, clock.GetUtcNow().ToUnixTimeMilliseconds())).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The presence subscription applies the CharacterLoggedOut event of a logout as well.
            logger.LogWarning(e, "Marking {CharacterId} offline failed; its next logout event will", connection.Identity.CharacterId);
        }
    }

    /// <summary>The stream ended (the session may resume elsewhere): only this replica's routing goes.</summary>
    public void Remove(ClientConnection connection) => router.Unregister(connection);

    public void Dispose() => _lines.Dispose();

    public async Task<ServerMessage> HandleAsync(ClientConnection connection, ClientMessage request)
    {
        if (request.BodyCase == ClientMessage.BodyOneofCase.Subscribe) return Subscribe(connection, request.Subscribe);
        if (router.SessionOf(connection) is not { } session) return ProtoMapping.Error(ErrorCode.FailedPrecondition, "log in first");
        var me = connection.Identity.CharacterId;
        return request.BodyCase switch
        {
            ClientMessage.BodyOneofCase.CreateChannel => await ChannelAsync(request.CreateChannel.Channel, c => c.CreateAsync(new ChannelCreate(me, request.CreateChannel.Private)), connection, session, joined: true).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.JoinChannel => await ChannelAsync(request.JoinChannel.Channel, c => c.JoinAsync(new ChannelJoin(me)), connection, session, joined: true).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.LeaveChannel => await ChannelAsync(request.LeaveChannel.Channel, c => c.LeaveAsync(new ChannelLeave(me)), connection, session, joined: false).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.InviteToChannel => CheckId(request.InviteToChannel.CharacterId) ?? await ChannelAsync(request.InviteToChannel.Channel, c => c.InviteAsync(new ChannelInvite(me, request.InviteToChannel.CharacterId)), connection, session, joined: null).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.ListChannels => await ListChannelsAsync(me).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.SayInChannel => await SayAsync(connection, request).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.SendDirect => await SendDirectAsync(connection, session, request).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.SendMail => await SendMailAsync(connection, session, request).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.ListMail => Mailbox(await Social(me).ListMailAsync().ConfigureAwait(false)),
            ClientMessage.BodyOneofCase.ReadMail => await ReadMailAsync(me, request.ReadMail.MailId).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.DeleteMail => Mailbox(await Social(me).DeleteMailAsync(request.DeleteMail.MailId).ConfigureAwait(false)),
            ClientMessage.BodyOneofCase.Block => await BlockAsync(me, request.Block.CharacterId, true).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.Unblock => await BlockAsync(me, request.Unblock.CharacterId, false).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.Follow => await FollowAsync(connection, session, request.Follow.CharacterId, true).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.Unfollow => await FollowAsync(connection, session, request.Unfollow.CharacterId, false).ConfigureAwait(false),
            ClientMessage.BodyOneofCase.ListFriends => Friends(connection, session, await Social(me).GetFriendsAsync().ConfigureAwait(false)),
            _ => ProtoMapping.Error(ErrorCode.InvalidArgument, $"{request.BodyCase} is not a request this gateway knows"),
        };
    }

    private static ServerMessage Subscribe(ClientConnection connection, V1.Subscribe subscribe)
    {
        var (mask, error) = LiveKindFilter.MaskOf(subscribe.Kinds);
        if (error is not null) return ProtoMapping.Error(ErrorCode.InvalidArgument, error);
        connection.WantedLiveKinds = mask;
        var answer = new Subscribed();
        answer.Kinds.AddRange(LiveKindFilter.KindsOf(mask));
        return new ServerMessage { Subscribed = answer };
    }

    /// <param name="joined">True: create or join (the room follows the answer); false: leave; null: no membership change.</param>
    private async Task<ServerMessage> ChannelAsync(string channel, Func<IChannelActor, Task<ChannelOutcome>> call, ClientConnection connection, SocialSession session, bool? joined)
    {
        if (ChannelNames.Check(channel) is { } bad) return ProtoMapping.Error(ErrorCode.InvalidArgument, bad);
        var outcome = await call(Channel(channel)).ConfigureAwait(false);
        if (outcome.Error is { } error) return error.ToErrorMessage();
        var view = outcome.Channel!;
        if (joined == true)
        {
            lock (session.Gate) session.AfterAnswer.Add(() => router.Join(connection, session, view.Name, view.Sequence));
        }
        else if (joined == false)
        {
            router.Leave(connection, session, view.Name);
        }
        var result = new ChannelResult { Channel = view.ToProto() };
        result.History.AddRange(outcome.History.Select(h => h.ToMessage()));
        return new ServerMessage { ChannelResult = result };
    }

    private async Task<ServerMessage> ListChannelsAsync(string me)
    {
        var names = await Social(me).GetChannelsAsync().ConfigureAwait(false);
        var channels = await Task.WhenAll(names.Select(n => Channel(n).GetAsync())).ConfigureAwait(false);
        var list = new ChannelList();
        list.Channels.AddRange(channels.Where(c => c.Channel is not null).Select(c => c.Channel!.ToProto()));
        return new ServerMessage { ChannelList = list };
    }

    private async Task<ServerMessage> SayAsync(ClientConnection connection, ClientMessage request)
    {
        var say = request.SayInChannel;
        if (ChannelNames.Check(say.Channel) is { } bad) return ProtoMapping.Error(ErrorCode.InvalidArgument, bad);
        if (SocialLimits.CheckText(say.Text, ChatLimits.MaxTextLength, "the line") is { } badText) return ProtoMapping.Error(ErrorCode.InvalidArgument, badText);
        if (RateLimited(connection) is { } slowDown) return slowDown;
        var outcome = await Channel(say.Channel).SayAsync(new ChannelSay(request.RequestId, connection.ConnectionId, connection.Identity.CharacterId, say.Text)).ConfigureAwait(false);
        if (outcome.Error is { } error) return error.ToErrorMessage();
        return new ServerMessage { ChannelSaid = new ChannelSaid { Channel = say.Channel, Sequence = outcome.Sequence } };
    }

    private async Task<ServerMessage> SendDirectAsync(ClientConnection connection, SocialSession session, ClientMessage request)
    {
        var direct = request.SendDirect;
        if (CheckId(direct.ToCharacterId) is { } badId) return badId;
        if (SocialLimits.CheckText(direct.Text, ChatLimits.MaxTextLength, "the message") is { } badText) return ProtoMapping.Error(ErrorCode.InvalidArgument, badText);
        if (RateLimited(connection) is { } slowDown) return slowDown;
        var outcome = await Social(direct.ToCharacterId).ReceiveDirectAsync(
            new DirectCommand(request.RequestId, connection.ConnectionId, connection.Identity.CharacterId, session.CharacterName, direct.Text)).ConfigureAwait(false);
        if (outcome.Error is { } error) return error.ToErrorMessage();
        return new ServerMessage { DirectSent = new DirectSent { Sequence = outcome.Sequence, DeliveredLive = outcome.DeliveredLive } };
    }

    private async Task<ServerMessage> SendMailAsync(ClientConnection connection, SocialSession session, ClientMessage request)
    {
        var mail = request.SendMail;
        if (CheckId(mail.ToCharacterId) is { } badId) return badId;
        if (SocialLimits.CheckText(mail.Subject, SocialLimits.MaxSubjectLength, "the subject") is { } badSubject) return ProtoMapping.Error(ErrorCode.InvalidArgument, badSubject);
        if (string.IsNullOrWhiteSpace(mail.Body) || mail.Body.Length > SocialLimits.MaxBodyLength) return ProtoMapping.Error(ErrorCode.InvalidArgument, $"the body must be 1..{SocialLimits.MaxBodyLength} characters");
        if (RateLimited(connection) is { } slowDown) return slowDown;
        var outcome = await Social(mail.ToCharacterId).ReceiveMailAsync(
            new MailCommand(request.RequestId, connection.ConnectionId, connection.Identity.CharacterId, session.CharacterName, mail.Subject, mail.Body)).ConfigureAwait(false);
        if (outcome.Error is { } error) return error.ToErrorMessage();
        return new ServerMessage { MailSent = new V1.MailSent { MailId = outcome.MailId } };
    }

    private async Task<ServerMessage> ReadMailAsync(string me, ulong mailId)
    {
        var outcome = await Social(me).ReadMailAsync(mailId).ConfigureAwait(false);
        if (outcome.Error is { } error) return error.ToErrorMessage();
        return new ServerMessage { MailContent = new MailContent { Header = outcome.Header!.ToProto(), Body = outcome.Body ?? "" } };
    }

    private async Task<ServerMessage> BlockAsync(string me, string characterId, bool block)
    {
        if (CheckId(characterId) is { } badId) return badId;
        var outcome = await Social(me).BlockAsync(new BlockChange(characterId, block)).ConfigureAwait(false);
        if (outcome.Error is { } error) return error.ToErrorMessage();
        var list = new BlockList();
        list.CharacterIds.AddRange(outcome.Blocked);
        return new ServerMessage { BlockList = list };
    }

    private async Task<ServerMessage> FollowAsync(ClientConnection connection, SocialSession session, string characterId, bool follow)
    {
        if (CheckId(characterId) is { } badId) return badId;
        return Friends(connection, session, await Social(connection.Identity.CharacterId).FollowAsync(new FollowChange(characterId, follow)).ConfigureAwait(false));
    }

    private ServerMessage Friends(ClientConnection connection, SocialSession session, FriendsOutcome outcome)
    {
        if (outcome.Error is { } error) return error.ToErrorMessage();
        router.SetFriends(connection, session, outcome.Friends);
        return new ServerMessage { FriendList = outcome.Friends.ToFriendList() };
    }

    private static ServerMessage Mailbox(MailboxView mailbox) =>
        mailbox.Error is { } error ? error.ToErrorMessage() : new ServerMessage { MailList = mailbox.ToProto() };

    private ServerMessage? RateLimited(ClientConnection connection)
    {
        using var lease = _lines.AttemptAcquire(connection.Identity.CharacterId);
        if (lease.IsAcquired) return null;
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        return ProtoMapping.Error(ErrorCode.ResourceExhausted,
            $"too many lines: at most {SocialLimits.LineBurst} at once and {SocialLimits.LinesPerSecond} per second; wait {Math.Max(0.1, wait.TotalSeconds):F1} s");
    }

    private static ServerMessage? CheckId(string characterId) =>
        ClientInput.CheckId(characterId, "character_id") is { } bad ? ProtoMapping.Error(ErrorCode.InvalidArgument, bad) : null;

    private ISocialActor Social(string characterId) => proxies.CreateActorProxy<ISocialActor>(new ActorId(characterId), ActorTypes.Social);

    private IChannelActor Channel(string name) => proxies.CreateActorProxy<IChannelActor>(new ActorId(name), ActorTypes.Channel);
}
