using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Quoncept.Chatlog.Log;

/// <summary>
/// Where the next page of a query starts: in index hour <see cref="Hour"/>, page <see cref="Page"/>, the references
/// older than (<see cref="At"/>, <see cref="Id"/>), then the older pages and hours. Sent as base64url text, opaque
/// to clients; anything else is refused.
/// </summary>
internal sealed record LogCursor(long Hour, int Page, long At, string Id)
{
    /// <summary>"Start at page <paramref name="page"/>, all of it": where a query that ran out of page reads stopped.</summary>
    public static LogCursor WholePage(long hour, int page) => new(hour, page, long.MaxValue, "");

    public LineRef Before => new(At, Id, null);

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Hour}.{Page}.{At}.{Id}")));

    public static LogCursor? TryDecode(string text)
    {
        if (text.Length is 0 or > 400) return null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(bytes).Split('.', 4);
        return parts.Length == 4
            && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var hour)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var page)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            ? new LogCursor(hour, page, at, parts[3])
            : null;
    }
}
