using Dapr.Actors;

namespace Quoncept.Contracts;

/// <summary>
/// One per channel (actor id = channel name, see <see cref="ChannelNames"/>), type
/// <see cref="ActorTypes.Channel"/>, hosted by the characters app: owner, members, invitations,
/// the channel's sequence number and its recent history. "world" always exists and has no member
/// list: everyone online may speak in it. Every message is published on <see cref="Topics.Chat"/>.
/// </summary>
public interface IChannelActor : IActor
{
    Task<ChannelOutcome> GetAsync();

    /// <summary>Exists already (or "world"): AlreadyExists. The creator is owner and first member.</summary>
    Task<ChannelOutcome> CreateAsync(ChannelCreate request);

    /// <summary>Unknown: NotFound; private without invitation: PermissionDenied; full: ResourceExhausted. Answers the recent history.</summary>
    Task<ChannelOutcome> JoinAsync(ChannelJoin request);

    /// <summary>Not a member: FailedPrecondition.</summary>
    Task<ChannelOutcome> LeaveAsync(ChannelLeave request);

    /// <summary>Owner only (else PermissionDenied); unknown invitee: NotFound.</summary>
    Task<ChannelOutcome> InviteAsync(ChannelInvite request);

    /// <summary>A line from a member (any online character in "world"). Text 1..500 characters.</summary>
    Task<ChannelSayOutcome> SayAsync(ChannelSay request);
}
