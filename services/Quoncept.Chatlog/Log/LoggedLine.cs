using Quoncept.Contracts;

namespace Quoncept.Chatlog.Log;

/// <summary>
/// One line of the log, whatever was said: system chat, a channel line, a direct message or a mail. Stored once,
/// under <see cref="LogKeys.Line"/>, and found through the index pages.
/// </summary>
/// <param name="Channel">"system:{systemId}" for system chat, the channel name for a channel line; null for direct messages and mail.</param>
/// <param name="ToCharacterId">The recipient of a direct message or mail; null otherwise.</param>
/// <param name="Subject">A mail's subject; null otherwise.</param>
/// <param name="Text">What was said (a mail's body).</param>
/// <param name="AtUnixMs">When it was said (the event's time, set by the actor that decided it).</param>
internal sealed record LoggedLine(
    string EventId, string Kind, string? Channel, string FromCharacterId, string FromName, string? ToCharacterId, string? Subject, string Text, long AtUnixMs)
{
    public const string SystemChannelPrefix = "system:";

    /// <summary>The line an event of the firehose carries; null for an event that is not a line.</summary>
    public static LoggedLine? From(UniverseEvent e) => e switch
    {
        ChatPosted c => new(c.EventId, LineKinds.System, SystemChannelPrefix + c.SystemId, c.CharacterId, c.CharacterName, null, null, c.Text, c.OccurredAtUnixMs),
        ChannelMessagePosted m => new(m.EventId, LineKinds.Channel, m.Channel, m.CharacterId, m.CharacterName, null, null, m.Text, m.OccurredAtUnixMs),
        DirectMessageSent d => new(d.EventId, LineKinds.Direct, null, d.FromCharacterId, d.FromName, d.ToCharacterId, null, d.Text, d.OccurredAtUnixMs),
        MailDelivered m => new(m.EventId, LineKinds.Mail, null, m.FromCharacterId, m.FromName, m.ToCharacterId, m.Subject, m.Body, m.OccurredAtUnixMs),
        _ => null,
    };

    /// <summary>The lines an event of the firehose carries: a ChatsPosted's each, else <see cref="From"/>'s one, if any.</summary>
    public static IReadOnlyList<LoggedLine> LinesOf(UniverseEvent e) => e is ChatsPosted batch
        ? [.. batch.Lines.Select(From).OfType<LoggedLine>()]
        : From(e) is { } line ? [line] : [];
}

/// <summary>What a <see cref="LoggedLine"/> is.</summary>
internal static class LineKinds
{
    public const string System = "system";
    public const string Channel = "channel";
    public const string Direct = "direct";
    public const string Mail = "mail";
}
