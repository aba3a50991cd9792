using Quoncept.Contracts;
using Quoncept.V1;

namespace Quoncept.Gateway.Social;

/// <summary>Social contracts records to quoncept.v1 messages (social.proto).</summary>
internal static class SocialMapping
{
    public static ChannelInfo ToProto(this ChannelView c) => new()
    {
        Name = c.Name,
        Private = c.Private,
        OwnerId = c.OwnerId,
        MemberCount = (uint)c.MemberCount,
        Sequence = c.Sequence,
    };

    public static V1.ChannelMessage ToMessage(this ChannelMessagePosted p) => new()
    {
        Channel = p.Channel,
        Sequence = p.Sequence,
        CharacterId = p.CharacterId,
        CharacterName = p.CharacterName,
        Text = p.Text,
        OccurredAtUnixMs = p.OccurredAtUnixMs,
    };

    public static ServerMessage ToProto(this ChannelMessagePosted p) => new() { ChannelMessage = p.ToMessage() };

    public static ServerMessage ToProto(this DirectMessageSent d, bool kept) => new()
    {
        DirectMessage = new DirectMessage
        {
            Sequence = d.Sequence,
            FromCharacterId = d.FromCharacterId,
            FromName = d.FromName,
            Text = d.Text,
            SentAtUnixMs = d.OccurredAtUnixMs,
            Kept = kept,
        },
    };

    public static ServerMessage ToProto(this MailDelivered m) => new()
    {
        MailArrived = new MailArrived
        {
            Header = new MailHeaderView(m.MailId, m.FromCharacterId, m.FromName, m.Subject, m.OccurredAtUnixMs, false).ToProto(),
            Unread = (uint)m.Unread,
        },
    };

    public static MailHeader ToProto(this MailHeaderView h) => new()
    {
        MailId = h.MailId,
        FromCharacterId = h.FromCharacterId,
        FromName = h.FromName,
        Subject = h.Subject,
        SentAtUnixMs = h.SentAtUnixMs,
        Read = h.Read,
    };

    public static MailList ToProto(this MailboxView m)
    {
        var list = new MailList { Unread = (uint)m.Unread, Capacity = (uint)m.Capacity };
        list.Mails.AddRange(m.Mails.Select(h => h.ToProto()));
        return list;
    }

    public static V1.Friend ToProto(this FriendView f) => new() { CharacterId = f.CharacterId, Name = f.Name, Online = f.Online };

    public static FriendList ToFriendList(this IEnumerable<FriendView> friends)
    {
        var list = new FriendList();
        list.Friends.AddRange(friends.Select(f => f.ToProto()));
        return list;
    }
}
