using Grpc.Core;
using Quoncept.V1;

namespace Quoncept.Client;

/// <summary>
/// Something that happened on the connection without being asked: an arrival, a departure, a
/// chat line, a Terminate from the server, or the stream ending (<see cref="StreamEnded"/>).
/// <see cref="ReceivedTimestamp"/> is a <see cref="System.Diagnostics.Stopwatch"/> timestamp.
/// </summary>
public sealed record LiveEvent(ServerMessage? Message, Status? StreamEnded, long ReceivedTimestamp)
{
    public CharacterArrived? Arrived => Message?.BodyCase == ServerMessage.BodyOneofCase.CharacterArrived ? Message.CharacterArrived : null;

    public CharacterDeparted? Departed => Message?.BodyCase == ServerMessage.BodyOneofCase.CharacterDeparted ? Message.CharacterDeparted : null;

    public ChatMessage? Chat => Message?.BodyCase == ServerMessage.BodyOneofCase.ChatMessage ? Message.ChatMessage : null;

    public ChannelMessage? ChannelLine => Message?.BodyCase == ServerMessage.BodyOneofCase.ChannelMessage ? Message.ChannelMessage : null;

    public DirectMessage? Direct => Message?.BodyCase == ServerMessage.BodyOneofCase.DirectMessage ? Message.DirectMessage : null;

    public MailArrived? Mail => Message?.BodyCase == ServerMessage.BodyOneofCase.MailArrived ? Message.MailArrived : null;

    public FriendPresence? Friend => Message?.BodyCase == ServerMessage.BodyOneofCase.FriendPresence ? Message.FriendPresence : null;

    public Terminate? Terminate => Message?.BodyCase == ServerMessage.BodyOneofCase.Terminate ? Message.Terminate : null;

    public override string ToString() => Message?.ToString() ?? $"stream ended: {StreamEnded}";
}
