namespace Quoncept.Chatlog.Log;

/// <summary>
/// The log's layout in the state store. Every line is stored once (<see cref="Line"/>; the key's existence is also
/// what drops a redelivered event). It is found through indexes: <see cref="All"/>, one per channel and one per
/// character (sender, and recipient of a direct message or mail). An index is cut into UTC hours, and an hour into
/// pages of at most <see cref="PageSize"/> references, each page sorted by (time, event id):
/// <c>idx/{index}/{hour}</c> holds the hour's page count, <c>idx/{index}/{hour}/{page}</c> a page. A query reads only
/// the hours of its time range of one index, newest page first, and stops when it has its lines.
/// </summary>
internal static class LogKeys
{
    public const int PageSize = 64;
    public const long HourMs = 3_600_000;

    public const string All = "all";

    public static string Line(string eventId) => $"line/{eventId}";

    public static string OfChannel(string channel) => $"channel/{channel}";

    public static string OfCharacter(string characterId) => $"character/{characterId}";

    public static string Head(string index, long hour) => $"idx/{index}/{hour}";

    public static string Page(string index, long hour, int page) => $"idx/{index}/{hour}/{page}";

    public static long HourOf(long unixMs) => (long)Math.Floor(unixMs / (double)HourMs);

    /// <summary>The indexes a line is found through, each once.</summary>
    public static IReadOnlyList<string> IndexesOf(LoggedLine line)
    {
        var indexes = new List<string> { All };
        if (line.Channel is { } channel) indexes.Add(OfChannel(channel));
        indexes.Add(OfCharacter(line.FromCharacterId));
        if (line.ToCharacterId is { } to && to != line.FromCharacterId) indexes.Add(OfCharacter(to));
        return indexes;
    }
}
