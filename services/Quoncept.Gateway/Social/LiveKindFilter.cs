using Quoncept.V1;

namespace Quoncept.Gateway.Social;

/// <summary>Which live event kinds (social.proto's LiveKind) a stream wants, as a bit mask; answers and Terminate always pass.</summary>
internal static class LiveKindFilter
{
    public const int All = (1 << (int)LiveKind.SystemPresence) | (1 << (int)LiveKind.SystemChat) | (1 << (int)LiveKind.Channels)
        | (1 << (int)LiveKind.Direct) | (1 << (int)LiveKind.Mail) | (1 << (int)LiveKind.Friends);

    public static bool Allows(int mask, ServerMessage.BodyOneofCase body) => KindOf(body) is not { } kind || (mask & (1 << (int)kind)) != 0;

    /// <summary>The mask of <paramref name="kinds"/>, or an error message for an unknown or unspecified kind.</summary>
    public static (int Mask, string? Error) MaskOf(IEnumerable<LiveKind> kinds)
    {
        var mask = 0;
        foreach (var kind in kinds)
        {
            if (kind is LiveKind.Unspecified || !Enum.IsDefined(kind)) return (0, $"unknown live kind {(int)kind}; use 1..6 (see LiveKind)");
            mask |= 1 << (int)kind;
        }
        return (mask, null);
    }

    public static IEnumerable<LiveKind> KindsOf(int mask) => Enum.GetValues<LiveKind>().Where(k => k != LiveKind.Unspecified && (mask & (1 << (int)k)) != 0);

    private static LiveKind? KindOf(ServerMessage.BodyOneofCase body) => body switch
    {
        ServerMessage.BodyOneofCase.CharacterArrived or ServerMessage.BodyOneofCase.CharacterDeparted => LiveKind.SystemPresence,
        ServerMessage.BodyOneofCase.ChatMessage => LiveKind.SystemChat,
        ServerMessage.BodyOneofCase.ChannelMessage => LiveKind.Channels,
        ServerMessage.BodyOneofCase.DirectMessage => LiveKind.Direct,
        ServerMessage.BodyOneofCase.MailArrived => LiveKind.Mail,
        ServerMessage.BodyOneofCase.FriendPresence => LiveKind.Friends,
        _ => null,
    };
}
