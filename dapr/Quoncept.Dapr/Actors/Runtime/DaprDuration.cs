using System.Globalization;
using System.Text.RegularExpressions;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>
/// Durations on the actor API. We write Go's time.Duration form (<c>1h2m3s4ms</c>, as the .NET SDK does) and read
/// Go durations (<c>2h30m</c>, <c>500ms</c>, <c>1.5s</c>) and ISO 8601 (<c>PT2H30M</c>, <c>R5/PT1M30S</c>)
/// (https://docs.dapr.io/developing-applications/building-blocks/actors/actors-timers-reminders/).
/// </summary>
internal static partial class DaprDuration
{
    /// <summary>Go duration form: <c>{hours}h{minutes}m{seconds}s{milliseconds}ms</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"A Dapr duration cannot be negative ({value}).");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalHours}h{value.Minutes}m{value.Seconds}s{value.Milliseconds}ms");
    }

    /// <summary>Periods: <see cref="Timeout.InfiniteTimeSpan"/> or zero means "fire once" and is left out of the body.</summary>
    public static string? FormatPeriod(TimeSpan period) => IsOneShot(period) ? null : Format(period);

    public static bool IsOneShot(TimeSpan period) => period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero;

    public static void ValidateSchedule(TimeSpan dueTime, TimeSpan period, string paramName)
    {
        if (dueTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, $"dueTime must not be negative ({dueTime}).");
        }

        if (period < TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), $"period must be positive, zero or Timeout.InfiniteTimeSpan ({period}).");
        }
    }

    /// <summary>Parses what the sidecar echoes back; null/empty is zero (no due time) or "no period".</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        text = text.Trim();
        var iso = IsoPattern().Match(text);
        if (iso.Success)
        {
            double Part(string name) => iso.Groups[name].Success ? double.Parse(iso.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
            value = TimeSpan.FromDays(Part("d") + 7 * Part("w")) + TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
            return true;
        }

        var go = GoPattern().Match(text);
        if (!go.Success || go.Length == 0)
        {
            return false;
        }

        long ticks = 0;
        foreach (Capture part in go.Groups["part"].Captures)
        {
            var unit = UnitPattern().Match(part.Value);
            var amount = double.Parse(unit.Groups["n"].Value, CultureInfo.InvariantCulture);
            ticks += unit.Groups["u"].Value switch
            {
                "h" => (long)(amount * TimeSpan.TicksPerHour),
                "m" => (long)(amount * TimeSpan.TicksPerMinute),
                "s" => (long)(amount * TimeSpan.TicksPerSecond),
                "ms" => (long)(amount * TimeSpan.TicksPerMillisecond),
                "us" or "µs" => (long)(amount * 10),
                _ => (long)(amount / 100), // ns
            };
        }

        value = TimeSpan.FromTicks(ticks);
        return true;
    }

    [GeneratedRegex(@"^(R\d*/)?P(?:(?<w>\d+(?:\.\d+)?)W)?(?:(?<d>\d+(?:\.\d+)?)D)?(?:T(?:(?<h>\d+(?:\.\d+)?)H)?(?:(?<m>\d+(?:\.\d+)?)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$")]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"^(?<part>\d+(?:\.\d+)?(?:ms|us|µs|ns|h|m|s))+$")]
    private static partial Regex GoPattern();

    [GeneratedRegex(@"^(?<n>\d+(?:\.\d+)?)(?<u>ms|us|µs|ns|h|m|s)$")]
    private static partial Regex UnitPattern();
}
