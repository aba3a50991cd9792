using Quoncept.V1;

namespace Quoncept.Client;

/// <summary>The social requests of social.proto as typed calls on a <see cref="QuonceptConnection"/>; a refusal throws <see cref="RequestFailedException"/>.</summary>
public static class QuonceptSocial
{
    public static Task<Answer<ChannelResult>> CreateChannelAsync(this QuonceptConnection c, string channel, bool isPrivate = false, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { CreateChannel = new CreateChannel { Channel = channel, Private = isPrivate } }, ServerMessage.BodyOneofCase.ChannelResult, m => m.ChannelResult, ct);

    public static Task<Answer<ChannelResult>> JoinChannelAsync(this QuonceptConnection c, string channel, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { JoinChannel = new JoinChannel { Channel = channel } }, ServerMessage.BodyOneofCase.ChannelResult, m => m.ChannelResult, ct);

    public static Task<Answer<ChannelResult>> LeaveChannelAsync(this QuonceptConnection c, string channel, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { LeaveChannel = new LeaveChannel { Channel = channel } }, ServerMessage.BodyOneofCase.ChannelResult, m => m.ChannelResult, ct);

    public static Task<Answer<ChannelResult>> InviteAsync(this QuonceptConnection c, string channel, string characterId, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { InviteToChannel = new InviteToChannel { Channel = channel, CharacterId = characterId } }, ServerMessage.BodyOneofCase.ChannelResult, m => m.ChannelResult, ct);

    public static Task<Answer<ChannelList>> ListChannelsAsync(this QuonceptConnection c, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { ListChannels = new ListChannels() }, ServerMessage.BodyOneofCase.ChannelList, m => m.ChannelList, ct);

    public static Task<Answer<ChannelSaid>> SayAsync(this QuonceptConnection c, string channel, string text, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { SayInChannel = new SayInChannel { Channel = channel, Text = text } }, ServerMessage.BodyOneofCase.ChannelSaid, m => m.ChannelSaid, ct);

    public static Task<Answer<DirectSent>> SendDirectAsync(this QuonceptConnection c, string toCharacterId, string text, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { SendDirect = new SendDirect { ToCharacterId = toCharacterId, Text = text } }, ServerMessage.BodyOneofCase.DirectSent, m => m.DirectSent, ct);

    public static Task<Answer<MailSent>> SendMailAsync(this QuonceptConnection c, string toCharacterId, string subject, string body, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { SendMail = new SendMail { ToCharacterId = toCharacterId, Subject = subject, Body = body } }, ServerMessage.BodyOneofCase.MailSent, m => m.MailSent, ct);

    public static Task<Answer<MailList>> ListMailAsync(this QuonceptConnection c, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { ListMail = new ListMail() }, ServerMessage.BodyOneofCase.MailList, m => m.MailList, ct);

    public static Task<Answer<MailContent>> ReadMailAsync(this QuonceptConnection c, ulong mailId, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { ReadMail = new ReadMail { MailId = mailId } }, ServerMessage.BodyOneofCase.MailContent, m => m.MailContent, ct);

    public static Task<Answer<MailList>> DeleteMailAsync(this QuonceptConnection c, ulong mailId, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { DeleteMail = new DeleteMail { MailId = mailId } }, ServerMessage.BodyOneofCase.MailList, m => m.MailList, ct);

    public static Task<Answer<BlockList>> BlockAsync(this QuonceptConnection c, string characterId, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { Block = new Block { CharacterId = characterId } }, ServerMessage.BodyOneofCase.BlockList, m => m.BlockList, ct);

    public static Task<Answer<BlockList>> UnblockAsync(this QuonceptConnection c, string characterId, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { Unblock = new Unblock { CharacterId = characterId } }, ServerMessage.BodyOneofCase.BlockList, m => m.BlockList, ct);

    public static Task<Answer<FriendList>> FollowAsync(this QuonceptConnection c, string characterId, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { Follow = new Follow { CharacterId = characterId } }, ServerMessage.BodyOneofCase.FriendList, m => m.FriendList, ct);

    public static Task<Answer<FriendList>> UnfollowAsync(this QuonceptConnection c, string characterId, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { Unfollow = new Unfollow { CharacterId = characterId } }, ServerMessage.BodyOneofCase.FriendList, m => m.FriendList, ct);

    public static Task<Answer<FriendList>> ListFriendsAsync(this QuonceptConnection c, CancellationToken ct = default) =>
        Ask(c, new ClientMessage { ListFriends = new ListFriends() }, ServerMessage.BodyOneofCase.FriendList, m => m.FriendList, ct);

    /// <summary>Only these live event kinds from now on (none when empty).</summary>
    public static Task<Answer<Subscribed>> SubscribeAsync(this QuonceptConnection c, IEnumerable<LiveKind> kinds, CancellationToken ct = default)
    {
        var subscribe = new Subscribe();
        subscribe.Kinds.AddRange(kinds);
        return Ask(c, new ClientMessage { Subscribe = subscribe }, ServerMessage.BodyOneofCase.Subscribed, m => m.Subscribed, ct);
    }

    private static async Task<Answer<T>> Ask<T>(QuonceptConnection c, ClientMessage message, ServerMessage.BodyOneofCase expected, Func<ServerMessage, T> pick, CancellationToken ct)
    {
        var answer = await c.SendAsync(message, ct).ConfigureAwait(false);
        var reply = answer.Value;
        if (reply.BodyCase == ServerMessage.BodyOneofCase.Error) throw new RequestFailedException(reply.RequestId, reply.Error.Code, reply.Error.Message);
        if (reply.BodyCase != expected) throw new RequestFailedException(reply.RequestId, ErrorCode.Internal, $"expected {expected}, the gateway answered {reply.BodyCase}");
        return new(pick(reply), answer.Latency);
    }
}
