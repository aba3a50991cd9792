using System.Globalization;

namespace Quoncept.Grpc;

/// <summary>The grpc-timeout header.</summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    /// <summary>
    /// Timeout → "grpc-timeout" TimeoutValue TimeoutUnit;
    /// TimeoutValue → {positive integer as ASCII string of at most 8 digits};
    /// TimeoutUnit → "H" / "M" / "S" / "m" (milli) / "u" (micro) / "n" (nano).
    /// </summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        long ticks;
        switch (value[^1])
        {
            case 'H': ticks = amount * TimeSpan.TicksPerHour; break;
            case 'M': ticks = amount * TimeSpan.TicksPerMinute; break;
            case 'S': ticks = amount * TimeSpan.TicksPerSecond; break;
            case 'm': ticks = amount * TimeSpan.TicksPerMillisecond; break;
            case 'u': ticks = amount * 10; break;
            case 'n': ticks = (amount + 99) / 100; break;
            default: return false;
        }

        timeout = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>Formats a timeout in the finest unit that fits in 8 digits, rounding up so the peer never waits less.</summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = Math.Max(0, timeout.Ticks);
        var micros = (ticks + 9) / 10;
        if (micros <= MaxValue)
        {
            return micros.ToString(CultureInfo.InvariantCulture) + "u";
        }

        var millis = (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        if (millis <= MaxValue)
        {
            return millis.ToString(CultureInfo.InvariantCulture) + "m";
        }

        var seconds = (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        if (seconds <= MaxValue)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "S";
        }

        var minutes = (ticks + TimeSpan.TicksPerMinute - 1) / TimeSpan.TicksPerMinute;
        if (minutes <= MaxValue)
        {
            return minutes.ToString(CultureInfo.InvariantCulture) + "M";
        }

        var hours = Math.Min(MaxValue, (ticks + TimeSpan.TicksPerHour - 1) / TimeSpan.TicksPerHour);
        return hours.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
