namespace Quoncept.Contracts;

/// <summary>
/// Something said: a channel line, a direct message, a mail. These go to <see cref="Topics.Chat"/>
/// (the firehose) instead of <see cref="Topics.Events"/>; the gateways fan them out from there and
/// the chatlog keeps them.
/// </summary>
public interface IChatLine
{
    string FromCharacterId { get; }
}

/// <summary>EventId "channel:{name}:{sequence}"; <see cref="Sequence"/> increases by one per message of the channel.</summary>
public sealed record ChannelMessagePosted(string Channel, ulong Sequence, string CharacterId, string CharacterName, string Text) : UniverseEvent, IChatLine
{
    public string FromCharacterId => CharacterId;
}

/// <summary>EventId "direct:{to}:{sequence}". <paramref name="Live"/>: the recipient was online (gateways deliver it); else it waits for its login.</summary>
public sealed record DirectMessageSent(string ToCharacterId, ulong Sequence, string FromCharacterId, string FromName, string Text, bool Live) : UniverseEvent, IChatLine;

/// <summary>EventId "mail:{to}:{mailId}". <paramref name="Unread"/>: the recipient's unread count with this mail.</summary>
public sealed record MailDelivered(string ToCharacterId, ulong MailId, string FromCharacterId, string FromName, string Subject, string Body, int Unread) : UniverseEvent, IChatLine;

/// <summary>On <see cref="Topics.Events"/>, for read models. <paramref name="Change"/>: created, joined, left, invited.</summary>
public sealed record ChannelMembershipChanged(string Channel, string CharacterId, string Change) : UniverseEvent;
