using Dapr.Actors;

namespace Quoncept.Contracts;

/// <summary>
/// One per character (actor id = character id), type <see cref="ActorTypes.Social"/>, hosted by the
/// characters app: the character's mailbox, the direct messages kept while it is offline, whom it
/// blocks and follows, the group channels it is in, and whether it is online. Unknown character id:
/// NotFound. It calls only character actors (for friends' presence), never another social or
/// channel actor, so no two of these actors ever wait on each other.
/// </summary>
public interface ISocialActor : IActor
{
    /// <summary>Gateway, at login or a resumed stream: online now; hands over (and forgets) the direct messages kept while offline.</summary>
    Task<SocialLogin> ComeOnlineAsync(ComeOnline request);

    /// <summary>Gateway at Logout, and the presence subscription for every logout or timeout (whichever is newer wins).</summary>
    Task<Failure?> SetPresenceAsync(PresenceChange request);

    /// <summary>Gateway: a direct message to this character. Blocked sender: PermissionDenied; kept inbox full: ResourceExhausted.</summary>
    Task<DirectOutcome> ReceiveDirectAsync(DirectCommand request);

    /// <summary>Gateway: a mail to this character. Blocked sender: PermissionDenied; mailbox full: ResourceExhausted.</summary>
    Task<MailSendOutcome> ReceiveMailAsync(MailCommand request);

    Task<MailboxView> ListMailAsync();

    /// <summary>Marks the mail read. Unknown id: NotFound.</summary>
    Task<MailReadOutcome> ReadMailAsync(ulong mailId);

    /// <summary>Unknown id: NotFound.</summary>
    Task<MailboxView> DeleteMailAsync(ulong mailId);

    /// <summary>Block (true) or unblock (false) a character. Unknown: NotFound; oneself: InvalidArgument.</summary>
    Task<BlockOutcome> BlockAsync(BlockChange request);

    /// <summary>Follow (true) or unfollow (false) a character. Unknown: NotFound; oneself: InvalidArgument.</summary>
    Task<FriendsOutcome> FollowAsync(FollowChange request);

    Task<FriendsOutcome> GetFriendsAsync();

    /// <summary>Channel actors only: the character joined (true) or left (false) a group channel. Too many channels: ResourceExhausted.</summary>
    Task<Failure?> NoteChannelAsync(ChannelMembership request);

    Task<IReadOnlyList<string>> GetChannelsAsync();
}
