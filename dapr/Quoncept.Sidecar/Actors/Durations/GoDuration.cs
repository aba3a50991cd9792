namespace Quoncept.Sidecar.Actors.Durations;

/// <summary>
/// Go's <c>time.ParseDuration</c>, the format Dapr documents for actor timeouts, dueTime and period
/// (https://pkg.go.dev/time#ParseDuration). Grammar:
/// <c>["-"|"+"] ( number unit )+ | "0"</c>, number = <c>digits ["." digits] | "." digits</c>,
/// unit = <c>ns | us | µs | μs | ms | s | m | h</c>. Precision is .NET's 100 ns tick.
/// </summary>
internal static class GoDuration
{
    private const decimal NanosPerTick = 100m;
    private static readonly decimal MaxNanos = (decimal)TimeSpan.MaxValue.Ticks * NanosPerTick;

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var s = text.AsSpan();
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s is "0")
        {
            return true;
        }
        if (s.IsEmpty)
        {
            return false;
        }
        decimal totalNanos = 0;
        while (!s.IsEmpty)
        {
            var digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.'))
            {
                digits++;
            }
            var number = s[..digits];
            if (number.IsEmpty || number is "." || number.IndexOf('.') != number.LastIndexOf('.'))
            {
                return false;
            }
            if (!decimal.TryParse(number.StartsWith(".") ? "0" + number.ToString() : number.ToString(),
                    System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }
            s = s[digits..];
            var unitLength = 0;
            while (unitLength < s.Length && !char.IsAsciiDigit(s[unitLength]) && s[unitLength] != '.')
            {
                unitLength++;
            }
            decimal? nanosPerUnit = s[..unitLength] switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => null,
            };
            if (nanosPerUnit is null)
            {
                return false;
            }
            s = s[unitLength..];
            if (value > MaxNanos / nanosPerUnit.Value)
            {
                return false;
            }
            totalNanos += value * nanosPerUnit.Value;
            if (totalNanos > MaxNanos)
            {
                return false;
            }
        }
        var ticks = (long)decimal.Round(totalNanos / NanosPerTick, MidpointRounding.AwayFromZero);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }
}
