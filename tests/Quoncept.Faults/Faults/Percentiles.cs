using System.Globalization;

namespace Quoncept.Faults.Faults;

/// <summary>Nearest-rank percentiles of durations, printed as "p50 / p99 / max (n)".</summary>
internal static class Percentiles
{
    public static TimeSpan Of(IReadOnlyList<TimeSpan> values, double percentile)
    {
        if (values.Count == 0) return TimeSpan.Zero;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Summary(IReadOnlyList<TimeSpan> values) => values.Count == 0
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {Of(values, 50).TotalMilliseconds:0} ms / p99 {Of(values, 99).TotalMilliseconds:0} ms / max {values.Max().TotalMilliseconds:0} ms (n={values.Count})");
}
