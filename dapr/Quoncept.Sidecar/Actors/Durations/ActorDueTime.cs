using System.Globalization;

namespace Quoncept.Sidecar.Actors.Durations;

/// <summary>
/// dapr/kit's <c>ParseTime</c> for <c>dueTime</c> and <c>ttl</c>: an ISO 8601 duration without
/// repetitions, a Go duration (both relative to <c>from</c>), or an absolute RFC 3339 time.
/// Empty means <c>from</c> itself ("fire now").
/// </summary>
internal static class ActorDueTime
{
    private static readonly string[] Rfc3339Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Throws <see cref="FormatException"/> naming <paramref name="field"/> and what is accepted.</summary>
    public static DateTimeOffset Parse(string field, string? text, DateTimeOffset from)
    {
        if (string.IsNullOrEmpty(text))
        {
            return from;
        }
        if (IsoDuration.TryParse(text, out var iso, out _))
        {
            if (iso.Repetitions != -1)
            {
                throw new FormatException($"{field} '{text}': repetitions are not allowed here");
            }
            return from.AddYears(iso.Years).AddMonths(iso.Months).AddDays(iso.Days).Add(iso.Time);
        }
        if (GoDuration.TryParse(text, out var go))
        {
            return from.Add(go);
        }
        if (text.Length >= 20 && DateTimeOffset.TryParseExact(text, Rfc3339Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var absolute)
            && (text.EndsWith('Z') || text.EndsWith('z') || text[^6] is '+' or '-'))
        {
            return absolute;
        }
        throw new FormatException(
            $"{field} '{text}' is not a Go duration (e.g. 0h0m3s0ms), an ISO 8601 duration (e.g. PT3S) or an RFC 3339 time (e.g. 2030-01-02T15:04:05Z)");
    }
}
