using System.Globalization;
using Dapr.Actors;
using Dapr.Actors.Runtime;
using Quoncept.Characters.Catalog;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Characters.Channels;

/// <summary>
/// One channel (actor id = channel name): members, invitations, the channel's sequence number and
/// recent history. See <see cref="IChannelActor"/>. Membership is mirrored in each member's
/// social actor (its channel list, bounded), which this actor asks first: a channel actor calls
/// social actors, never the other way round.
/// </summary>
[Actor(TypeName = ActorTypes.Channel)]
internal sealed class ChannelActor(ActorHost host, CharacterCatalog catalog, EventPublisher publisher, TimeProvider clock)
    : OutboxActor<ChannelState>(host, publisher, clock), IChannelActor
{
    private string Name => Id.GetId();

    private bool IsWorld => Name == ChannelNames.World;

    public async Task<ChannelOutcome> GetAsync()
    {
        if (ChannelNames.Check(Name) is { } bad) return Refused(FailureCode.InvalidArgument, bad);
        var state = await LoadAsync();
        return IsWorld || state.Exists ? Answer(state) : Refused(FailureCode.NotFound, $"no channel '{Name}'");
    }

    public async Task<ChannelOutcome> CreateAsync(ChannelCreate request)
    {
        if (Check(request?.CharacterId) is { } invalid) return invalid;
        var state = await LoadAsync();
        if (IsWorld || state.Exists) return Refused(FailureCode.AlreadyExists, $"channel '{Name}' already exists");
        if (await Social(request!.CharacterId).NoteChannelAsync(new ChannelMembership(Name, true)) is { } full) return new ChannelOutcome(null, [], full);
        state.Private = request.Private;
        state.Record(Membership(request.CharacterId, ChannelState.Created));
        await CommitAsync(state);
        return Answer(state);
    }

    public async Task<ChannelOutcome> JoinAsync(ChannelJoin request)
    {
        if (Check(request?.CharacterId) is { } invalid) return invalid;
        if (IsWorld) return Refused(FailureCode.InvalidArgument, "everyone online is in world already");
        var state = await LoadAsync();
        var who = request!.CharacterId;
        if (!state.Exists) return Refused(FailureCode.NotFound, $"no channel '{Name}'; create it first");
        if (state.Members.Contains(who)) return Answer(state, withHistory: true);
        if (state.Private && who != state.OwnerId && !state.Invitations.Contains(who)) return Refused(FailureCode.PermissionDenied, $"'{Name}' is private: its owner has to invite you");
        if (state.Members.Count >= SocialLimits.MaxChannelMembers) return Refused(FailureCode.ResourceExhausted, $"'{Name}' is full ({SocialLimits.MaxChannelMembers} members)");
        if (await Social(who).NoteChannelAsync(new ChannelMembership(Name, true)) is { } full) return new ChannelOutcome(null, [], full);
        state.Record(Membership(who, ChannelState.Joined));
        await CommitAsync(state);
        return Answer(state, withHistory: true);
    }

    public async Task<ChannelOutcome> LeaveAsync(ChannelLeave request)
    {
        if (Check(request?.CharacterId) is { } invalid) return invalid;
        if (IsWorld) return Refused(FailureCode.InvalidArgument, "world cannot be left; unsubscribe from channels instead");
        var state = await LoadAsync();
        var who = request!.CharacterId;
        if (state.Members.Contains(who))
        {
            state.Record(Membership(who, ChannelState.Left));
            await CommitAsync(state);
        }
        else if (!state.Exists)
        {
            return Refused(FailureCode.NotFound, $"no channel '{Name}'");
        }
        else
        {
            // Also mends a membership the social side kept after an interrupted leave.
            await Social(who).NoteChannelAsync(new ChannelMembership(Name, false));
            return Refused(FailureCode.FailedPrecondition, $"you are not in '{Name}'");
        }

        await Social(who).NoteChannelAsync(new ChannelMembership(Name, false));
        return Answer(state);
    }

    public async Task<ChannelOutcome> InviteAsync(ChannelInvite request)
    {
        if (Check(request?.ByCharacterId) is { } invalid) return invalid;
        if (IsWorld) return Refused(FailureCode.InvalidArgument, "everyone online is in world already");
        var state = await LoadAsync();
        if (!state.Exists) return Refused(FailureCode.NotFound, $"no channel '{Name}'");
        if (request!.ByCharacterId != state.OwnerId) return Refused(FailureCode.PermissionDenied, $"only the owner of '{Name}' invites");
        if (string.IsNullOrEmpty(request.CharacterId) || !catalog.TryGet(request.CharacterId, out _)) return Refused(FailureCode.NotFound, $"no character '{request.CharacterId}'");
        if (!state.Members.Contains(request.CharacterId) && !state.Invitations.Contains(request.CharacterId))
        {
            if (state.Invitations.Count >= SocialLimits.MaxChannelMembers) return Refused(FailureCode.ResourceExhausted, $"'{Name}' has {SocialLimits.MaxChannelMembers} open invitations");
            state.Record(Membership(request.CharacterId, ChannelState.Invited));
            await CommitAsync(state);
        }
        return Answer(state);
    }

    public async Task<ChannelSayOutcome> SayAsync(ChannelSay request)
    {
        if (request is null) return new ChannelSayOutcome(0, RequestIds.MissingRequest);
        if (ChannelNames.Check(Name) is { } bad) return new ChannelSayOutcome(0, new Failure(FailureCode.InvalidArgument, bad));
        if (RequestIds.Check(request.RequestId, request.ConnectionId) is { } invalid) return new ChannelSayOutcome(0, invalid);
        var state = await LoadAsync();
        var key = RequestLog<ChannelSayOutcome>.Key(request.CharacterId + "\u001f" + request.ConnectionId, request.RequestId);
        if (state.Says.TryGet(key, out var first)) return first!;

        var outcome = Decide(state, request);
        state.Says.Remember(key, outcome);
        await CommitAsync(state);
        return outcome;
    }

    protected override Task OnReminderAsync(string reminderName, byte[] state) => Task.CompletedTask;

    private ChannelSayOutcome Decide(ChannelState state, ChannelSay request)
    {
        if (!catalog.TryGet(request.CharacterId ?? "", out var speaker)) return new ChannelSayOutcome(0, new Failure(FailureCode.NotFound, $"no character '{request.CharacterId}'"));
        if (SocialLimits.CheckText(request.Text, ChatLimits.MaxTextLength, "the line") is { } badText) return new ChannelSayOutcome(0, new Failure(FailureCode.InvalidArgument, badText));
        if (!IsWorld && !state.Members.Contains(speaker.Id)) return new ChannelSayOutcome(0, new Failure(FailureCode.FailedPrecondition, $"join '{Name}' before speaking in it"));
        var sequence = state.Sequence + 1;
        state.Record(new ChannelMessagePosted(Name, sequence, speaker.Id, speaker.Name, request.Text)
        {
            EventId = $"channel:{Name}:{sequence.ToString(CultureInfo.InvariantCulture)}",
            OccurredAtUnixMs = NowUnixMs,
        });
        return new ChannelSayOutcome(sequence, null);
    }

    private ChannelOutcome? Check(string? characterId)
    {
        if (ChannelNames.Check(Name) is { } bad) return Refused(FailureCode.InvalidArgument, bad);
        if (string.IsNullOrEmpty(characterId) || !catalog.TryGet(characterId, out _)) return Refused(FailureCode.NotFound, $"no character '{characterId}'");
        return null;
    }

    private ChannelMembershipChanged Membership(string characterId, string change) =>
        new(Name, characterId, change) { EventId = Guid.NewGuid().ToString("N"), OccurredAtUnixMs = NowUnixMs };

    private ChannelOutcome Answer(ChannelState state, bool withHistory = false) => new(
        new ChannelView(Name, state.Private, state.OwnerId, state.Members.Count, state.Sequence),
        withHistory ? [.. state.History.TakeLast(SocialLimits.HistoryOnJoin)] : [],
        null);

    private static ChannelOutcome Refused(FailureCode code, string message) => new(null, [], new Failure(code, message));

    private ISocialActor Social(string characterId) => ProxyFactory.CreateActorProxy<ISocialActor>(new ActorId(characterId), ActorTypes.Social);
}
