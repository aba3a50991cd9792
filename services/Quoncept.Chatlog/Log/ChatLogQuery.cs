using System.Globalization;
using Microsoft.Extensions.Primitives;
using Quoncept.Contracts;

namespace Quoncept.Chatlog.Log;

/// <summary>
/// A checked query of the log: lines by or to <see cref="Character"/>, in <see cref="Channel"/>, said at
/// <see cref="FromUnixMs"/> or later and before <see cref="ToUnixMs"/>, newest first, at most <see cref="Limit"/>,
/// continuing at <see cref="Cursor"/>.
/// </summary>
internal sealed record ChatLogQuery(string? Character, string? Channel, long FromUnixMs, long ToUnixMs, int Limit, LogCursor? Cursor)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(1);
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    /// <summary>How far past "now" the default end of the range lies: lines stamped by another app's clock a little ahead still count.</summary>
    public static readonly TimeSpan DefaultToAhead = TimeSpan.FromMinutes(1);

    /// <summary>The latest time accepted: the end of year 9999.</summary>
    public const long MaxUnixMs = 253_402_300_799_999;

    public static readonly string[] Parameters = ["character", "channel", "from", "to", "limit", "cursor"];

    /// <summary>The index the query reads: a character's (then filtered by channel), else a channel's, else every line's.</summary>
    public string Index => Character is not null ? LogKeys.OfCharacter(Character) : Channel is not null ? LogKeys.OfChannel(Channel) : LogKeys.All;

    /// <summary>The query the parameters ask for, or why they cannot be one (a message for a 400).</summary>
    public static (ChatLogQuery? Query, string? Error) Parse(IEnumerable<KeyValuePair<string, StringValues>> parameters, long nowUnixMs)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in parameters)
        {
            if (!Parameters.Contains(name)) return (null, $"unknown parameter '{name}' (the parameters are {string.Join(", ", Parameters)})");
            if (values.Count != 1) return (null, $"parameter '{name}' is given {values.Count} times; give it once");
            given[name] = values[0] ?? "";
        }

        var character = given.GetValueOrDefault("character");
        if (character is not null && CheckId(character) is { } badCharacter) return (null, $"character: {badCharacter}");
        var channel = given.GetValueOrDefault("channel");
        if (channel is not null && CheckChannel(channel) is { } badChannel) return (null, $"channel: {badChannel}");

        long to = Math.Min(nowUnixMs + (long)DefaultToAhead.TotalMilliseconds, MaxUnixMs);
        if (given.TryGetValue("to", out var toText) && !TryTime(toText, out to)) return (null, $"to: '{toText}' is not a time in unix milliseconds (0..{MaxUnixMs})");
        var from = Math.Max(0, to - (long)DefaultRange.TotalMilliseconds);
        if (given.TryGetValue("from", out var fromText) && !TryTime(fromText, out from)) return (null, $"from: '{fromText}' is not a time in unix milliseconds (0..{MaxUnixMs})");
        if (from >= to) return (null, $"from ({from}) must be before to ({to})");
        if (to - from > (long)MaxRange.TotalMilliseconds) return (null, $"the range from {from} to {to} is longer than {MaxRange.TotalDays:0} days; ask for a shorter one");

        var limit = DefaultLimit;
        if (given.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            return (null, $"limit: '{limitText}' is not a whole number from 1 to {MaxLimit}");
        }

        LogCursor? cursor = null;
        if (given.TryGetValue("cursor", out var cursorText))
        {
            cursor = LogCursor.TryDecode(cursorText);
            if (cursor is null) return (null, "cursor: not a cursor this log gave out (pass the 'next' of the previous answer unchanged)");
            if (cursor.Hour < LogKeys.HourOf(from) || cursor.Hour > LogKeys.HourOf(to - 1)) return (null, "cursor: it belongs to another time range (keep from and to as they were)");
        }

        return (new ChatLogQuery(character, channel, from, to, limit, cursor), null);
    }

    private static bool TryTime(string text, out long unixMs) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out unixMs) && unixMs <= MaxUnixMs;

    /// <summary>Character ids: 1..64 of A-Z a-z 0-9 _ . - : (as the data files).</summary>
    private static string? CheckId(string id)
    {
        if (id.Length is 0 or > 64) return "a character id is 1..64 characters";
        return id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or ':') ? null : $"'{id}' is not a character id (A-Z a-z 0-9 _ . - :)";
    }

    /// <summary>A channel name, or "system:{system id}" for a system's chat.</summary>
    private static string? CheckChannel(string channel)
    {
        if (channel.StartsWith(LoggedLine.SystemChannelPrefix, StringComparison.Ordinal))
        {
            return CheckId(channel[LoggedLine.SystemChannelPrefix.Length..]) is null ? null : $"'{channel}' is not system:<system id>";
        }
        return ChannelNames.Check(channel) is { } problem ? $"{problem}, or system:<system id> for a system's chat" : null;
    }
}
