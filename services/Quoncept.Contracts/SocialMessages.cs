namespace Quoncept.Contracts;

// Social requests and answers. Requests that send something carry the sender's request id and
// connection id; the receiving actor applies (sender, connection id, request id) at most once.

public sealed record ComeOnline(string ConnectionId);

/// <summary>What waits for a character at login: unread mail, its channels, friends, and the kept direct messages (now handed over).</summary>
public sealed record SocialLogin(int UnreadMail, IReadOnlyList<string> Channels, IReadOnlyList<FriendView> Friends, IReadOnlyList<DirectMessageSent> Waiting, Failure? Error);

/// <param name="AtUnixMs">When the change happened; an older change than the last one applied is ignored.</param>
public sealed record PresenceChange(bool Online, long AtUnixMs);

public sealed record DirectCommand(string RequestId, string ConnectionId, string FromCharacterId, string FromName, string Text);

/// <param name="DeliveredLive">False: the recipient is offline and the message waits for its next login.</param>
public sealed record DirectOutcome(ulong Sequence, bool DeliveredLive, Failure? Error);

public sealed record MailCommand(string RequestId, string ConnectionId, string FromCharacterId, string FromName, string Subject, string Body);

public sealed record MailSendOutcome(ulong MailId, Failure? Error);

public sealed record MailHeaderView(ulong MailId, string FromCharacterId, string FromName, string Subject, long SentAtUnixMs, bool Read);

public sealed record MailboxView(IReadOnlyList<MailHeaderView> Mails, int Unread, int Capacity, Failure? Error);

public sealed record MailReadOutcome(MailHeaderView? Header, string? Body, Failure? Error);

public sealed record BlockChange(string CharacterId, bool Block);

public sealed record BlockOutcome(IReadOnlyList<string> Blocked, Failure? Error);

public sealed record FollowChange(string CharacterId, bool Follow);

public sealed record FriendView(string CharacterId, string Name, bool Online);

public sealed record FriendsOutcome(IReadOnlyList<FriendView> Friends, Failure? Error);

public sealed record ChannelMembership(string Channel, bool Joined);

public sealed record ChannelCreate(string CharacterId, bool Private);

public sealed record ChannelJoin(string CharacterId);

public sealed record ChannelLeave(string CharacterId);

public sealed record ChannelInvite(string ByCharacterId, string CharacterId);

public sealed record ChannelSay(string RequestId, string ConnectionId, string CharacterId, string Text);

/// <param name="Sequence">The sequence number of the channel's latest message.</param>
public sealed record ChannelView(string Name, bool Private, string OwnerId, int MemberCount, ulong Sequence);

/// <param name="History">JoinAsync: the latest messages, oldest first; live ones continue after Channel.Sequence.</param>
public sealed record ChannelOutcome(ChannelView? Channel, IReadOnlyList<ChannelMessagePosted> History, Failure? Error);

public sealed record ChannelSayOutcome(ulong Sequence, Failure? Error);

/// <summary>The rules of the social layer (the proto documents the same numbers).</summary>
public static class SocialLimits
{
    public const int MaxSubjectLength = 100;
    public const int MaxBodyLength = 2000;
    public const int MailboxCapacity = 50;
    public const int MaxWaitingDirect = 100;
    public const int MaxBlocked = 100;
    public const int MaxFriends = 100;
    public const int MaxChannelsPerCharacter = 10;
    public const int MaxChannelMembers = 200;
    public const int HistoryKept = 50;
    public const int HistoryOnJoin = 20;

    /// <summary>Per character (connection): lines (channel, direct, mail) at once, and refilled per second.</summary>
    public const int LineBurst = 8;
    public const int LinesPerSecond = 4;

    /// <summary>Null when <paramref name="text"/> is 1..<paramref name="max"/> characters, not blank and free of control characters; else why not.</summary>
    public static string? CheckText(string? text, int max, string what)
    {
        if (string.IsNullOrWhiteSpace(text)) return $"{what} must not be empty";
        if (text.Length > max) return $"{what} is longer than {max} characters";
        foreach (var ch in text)
        {
            if (char.IsControl(ch)) return $"{what} must not contain control characters";
        }
        return null;
    }
}

/// <summary>Channel names: 2..32 of [a-z0-9_-], starting with a letter or digit; "world" is everyone's.</summary>
public static class ChannelNames
{
    public const string World = "world";
    public const int MaxLength = 32;

    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length < 2 || name.Length > MaxLength) return $"channel names are 2..{MaxLength} characters";
        if (!char.IsAsciiLetterLower(name[0]) && !char.IsAsciiDigit(name[0])) return "a channel name starts with a lowercase letter or a digit";
        foreach (var ch in name)
        {
            if (!char.IsAsciiLetterLower(ch) && !char.IsAsciiDigit(ch) && ch is not '_' and not '-') return "channel names use only a-z 0-9 _ -";
        }
        return null;
    }
}
