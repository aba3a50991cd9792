using System.Globalization;
using Dapr.Actors;
using Dapr.Actors.Runtime;
using Quoncept.Characters.Catalog;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Characters.Social;

/// <summary>
/// One character's social side (actor id = character id): mailbox, kept direct messages, blocks,
/// friends, group channels, presence. See <see cref="ISocialActor"/>. A direct message or mail is
/// decided by the recipient's actor (it knows whom it blocks and whether it is online), recorded
/// with the recipient's next number, saved, then published on the chat topic.
/// </summary>
[Actor(TypeName = ActorTypes.Social)]
internal sealed class SocialActor(ActorHost host, CharacterCatalog catalog, EventPublisher publisher, TimeProvider clock)
    : OutboxActor<SocialState>(host, publisher, clock), ISocialActor
{
    private const string DirectKind = "direct";
    private const string MailKind = "mail";

    public async Task<SocialLogin> ComeOnlineAsync(ComeOnline request)
    {
        if (Unknown() is { } unknown) return new SocialLogin(0, [], [], [], unknown);
        var state = await LoadAsync();
        var waiting = state.Waiting.ToList();
        state.Waiting.Clear();
        state.Online = true;
        state.PresenceAtUnixMs = Math.Max(state.PresenceAtUnixMs, NowUnixMs);
        await CommitAsync(state);
        return new SocialLogin(state.Unread, [.. state.Channels], await FriendsAsync(state), waiting, null);
    }

    public async Task<Failure?> SetPresenceAsync(PresenceChange request)
    {
        if (request is null) return RequestIds.MissingRequest;
        if (Unknown() is { } unknown) return unknown;
        var state = await LoadAsync();
        if (request.AtUnixMs < state.PresenceAtUnixMs || state.Online == request.Online) return null;
        state.Online = request.Online;
        state.PresenceAtUnixMs = request.AtUnixMs;
        await CommitAsync(state);
        return null;
    }

    public async Task<DirectOutcome> ReceiveDirectAsync(DirectCommand request)
    {
        var (state, repeat, failure) = await BeginAsync(request?.RequestId, request?.ConnectionId, request?.FromCharacterId, DirectKind);
        if (failure is not null) return new DirectOutcome(0, false, failure);
        if (repeat is not null) return new DirectOutcome(repeat.Number, repeat.Live, repeat.Error);

        var error = SocialLimits.CheckText(request!.Text, ChatLimits.MaxTextLength, "the message") is { } bad ? new Failure(FailureCode.InvalidArgument, bad)
            : state.Blocked.Contains(request.FromCharacterId) ? new Failure(FailureCode.PermissionDenied, $"{Name()} does not accept your messages")
            : !state.Online && state.Waiting.Count >= SocialLimits.MaxWaitingDirect ? new Failure(FailureCode.ResourceExhausted, $"{Name()} is offline and has {SocialLimits.MaxWaitingDirect} messages waiting; try mail or later")
            : null;
        var sequence = 0UL;
        if (error is null)
        {
            sequence = state.DirectSequence + 1;
            state.Record(new DirectMessageSent(Id.GetId(), sequence, request.FromCharacterId, request.FromName, request.Text, state.Online)
            {
                EventId = $"direct:{Id.GetId()}:{sequence.ToString(CultureInfo.InvariantCulture)}",
                OccurredAtUnixMs = NowUnixMs,
            });
        }

        var live = error is null && state.Online;
        await FinishAsync(state, request, new SocialReply(DirectKind, sequence, live, error));
        return new DirectOutcome(sequence, live, error);
    }

    public async Task<MailSendOutcome> ReceiveMailAsync(MailCommand request)
    {
        var (state, repeat, failure) = await BeginAsync(request?.RequestId, request?.ConnectionId, request?.FromCharacterId, MailKind);
        if (failure is not null) return new MailSendOutcome(0, failure);
        if (repeat is not null) return new MailSendOutcome(repeat.Number, repeat.Error);

        var error = SocialLimits.CheckText(request!.Subject, SocialLimits.MaxSubjectLength, "the subject") is { } badSubject ? new Failure(FailureCode.InvalidArgument, badSubject)
            : CheckBody(request.Body) is { } badBody ? new Failure(FailureCode.InvalidArgument, badBody)
            : state.Blocked.Contains(request.FromCharacterId) ? new Failure(FailureCode.PermissionDenied, $"{Name()} does not accept your mail")
            : state.Mailbox.Count >= SocialLimits.MailboxCapacity ? new Failure(FailureCode.ResourceExhausted, $"the mailbox of {Name()} is full ({SocialLimits.MailboxCapacity} mails)")
            : null;
        var mailId = 0UL;
        if (error is null)
        {
            mailId = state.LastMailId + 1;
            state.Record(new MailDelivered(Id.GetId(), mailId, request.FromCharacterId, request.FromName, request.Subject, request.Body, state.Unread + 1)
            {
                EventId = $"mail:{Id.GetId()}:{mailId.ToString(CultureInfo.InvariantCulture)}",
                OccurredAtUnixMs = NowUnixMs,
            });
        }

        await FinishAsync(state, request, new SocialReply(MailKind, mailId, false, error));
        return new MailSendOutcome(mailId, error);
    }

    public async Task<MailboxView> ListMailAsync()
    {
        if (Unknown() is { } unknown) return new MailboxView([], 0, SocialLimits.MailboxCapacity, unknown);
        return Mailbox(await LoadAsync());
    }

    public async Task<MailReadOutcome> ReadMailAsync(ulong mailId)
    {
        if (Unknown() is { } unknown) return new MailReadOutcome(null, null, unknown);
        var state = await LoadAsync();
        if (state.Mailbox.Find(m => m.MailId == mailId) is not { } mail) return new MailReadOutcome(null, null, NoMail(mailId));
        if (!mail.Read)
        {
            mail.Read = true;
            await CommitAsync(state);
        }
        return new MailReadOutcome(mail.Header(), mail.Body, null);
    }

    public async Task<MailboxView> DeleteMailAsync(ulong mailId)
    {
        if (Unknown() is { } unknown) return new MailboxView([], 0, SocialLimits.MailboxCapacity, unknown);
        var state = await LoadAsync();
        if (state.Mailbox.RemoveAll(m => m.MailId == mailId) == 0) return Mailbox(state) with { Error = NoMail(mailId) };
        await CommitAsync(state);
        return Mailbox(state);
    }

    public async Task<BlockOutcome> BlockAsync(BlockChange request)
    {
        if (CheckOther(request?.CharacterId) is { } invalid) return new BlockOutcome([], invalid);
        var state = await LoadAsync();
        if (Change(state.Blocked, request!.CharacterId, request.Block, SocialLimits.MaxBlocked, "blocked characters") is { } full) return new BlockOutcome([.. state.Blocked], full);
        await CommitAsync(state);
        return new BlockOutcome([.. state.Blocked], null);
    }

    public async Task<FriendsOutcome> FollowAsync(FollowChange request)
    {
        if (CheckOther(request?.CharacterId) is { } invalid) return new FriendsOutcome([], invalid);
        var state = await LoadAsync();
        if (Change(state.Friends, request!.CharacterId, request.Follow, SocialLimits.MaxFriends, "friends") is { } full) return new FriendsOutcome(await FriendsAsync(state), full);
        await CommitAsync(state);
        return new FriendsOutcome(await FriendsAsync(state), null);
    }

    public async Task<FriendsOutcome> GetFriendsAsync()
    {
        if (Unknown() is { } unknown) return new FriendsOutcome([], unknown);
        return new FriendsOutcome(await FriendsAsync(await LoadAsync()), null);
    }

    public async Task<Failure?> NoteChannelAsync(ChannelMembership request)
    {
        if (request is null) return RequestIds.MissingRequest;
        if (Unknown() is { } unknown) return unknown;
        var state = await LoadAsync();
        if (Change(state.Channels, request.Channel, request.Joined, SocialLimits.MaxChannelsPerCharacter, "channels") is { } full) return full;
        await CommitAsync(state);
        return null;
    }

    public async Task<IReadOnlyList<string>> GetChannelsAsync() => [.. (await LoadAsync()).Channels];

    protected override Task OnReminderAsync(string reminderName, byte[] state) => Task.CompletedTask;

    /// <summary>Adds or removes <paramref name="id"/>; a failure only when adding beyond <paramref name="max"/>.</summary>
    private static Failure? Change(List<string> list, string id, bool add, int max, string what)
    {
        if (!add)
        {
            list.Remove(id);
            return null;
        }
        if (list.Contains(id)) return null;
        if (list.Count >= max) return new Failure(FailureCode.ResourceExhausted, $"at most {max} {what}");
        list.Add(id);
        return null;
    }

    private async Task<(SocialState State, SocialReply? Repeat, Failure? Failure)> BeginAsync(string? requestId, string? connectionId, string? from, string kind)
    {
        var state = await LoadAsync();
        if (Unknown() is { } unknown) return (state, null, unknown);
        if (RequestIds.Check(requestId, connectionId) is { } invalid) return (state, null, invalid);
        if (string.IsNullOrEmpty(from)) return (state, null, new Failure(FailureCode.InvalidArgument, "the sender is missing"));
        if (from == Id.GetId()) return (state, null, new Failure(FailureCode.InvalidArgument, "that is yourself"));
        if (state.Requests.TryGet(Key(from, connectionId!, requestId!), out var first))
        {
            return first!.Kind == kind ? (state, first, null) : (state, null, new Failure(FailureCode.AlreadyExists, $"request id '{requestId}' was already used for a {first.Kind}"));
        }
        return (state, null, null);
    }

    private Task FinishAsync(SocialState state, DirectCommand request, SocialReply reply) => FinishAsync(state, request.FromCharacterId, request.ConnectionId, request.RequestId, reply);

    private Task FinishAsync(SocialState state, MailCommand request, SocialReply reply) => FinishAsync(state, request.FromCharacterId, request.ConnectionId, request.RequestId, reply);

    private Task FinishAsync(SocialState state, string from, string connectionId, string requestId, SocialReply reply)
    {
        state.Requests.Remember(Key(from, connectionId, requestId), reply);
        return CommitAsync(state);
    }

    private static string Key(string from, string connectionId, string requestId) => RequestLog<SocialReply>.Key(from + "\u001f" + connectionId, requestId);

    private async Task<IReadOnlyList<FriendView>> FriendsAsync(SocialState state)
    {
        var lookups = await Task.WhenAll(state.Friends.Select(id =>
            ProxyFactory.CreateActorProxy<ICharacterActor>(new ActorId(id), ActorTypes.Character).GetAsync()));
        return [.. lookups.Where(l => l.Character is not null).Select(l => new FriendView(l.Character!.Id, l.Character.Name, l.Character.Online))];
    }

    private static MailboxView Mailbox(SocialState state) =>
        new([.. state.Mailbox.Select(m => m.Header())], state.Unread, SocialLimits.MailboxCapacity, null);

    private static string? CheckBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "the body must not be empty";
        return body.Length > SocialLimits.MaxBodyLength ? $"the body is longer than {SocialLimits.MaxBodyLength} characters" : null;
    }

    private Failure? CheckOther(string? characterId)
    {
        if (Unknown() is { } unknown) return unknown;
        if (string.IsNullOrEmpty(characterId)) return new Failure(FailureCode.InvalidArgument, "a character id is required");
        if (characterId == Id.GetId()) return new Failure(FailureCode.InvalidArgument, "that is yourself");
        return catalog.TryGet(characterId, out _) ? null : new Failure(FailureCode.NotFound, $"no character '{characterId}'");
    }

    private Failure? Unknown() => catalog.TryGet(Id.GetId(), out _) ? null : new Failure(FailureCode.NotFound, $"no character '{Id.GetId()}'");

    private string Name() => catalog.TryGet(Id.GetId(), out var record) ? record.Name : Id.GetId();

    private static Failure NoMail(ulong mailId) => new(FailureCode.NotFound, $"no mail {mailId}");
}
