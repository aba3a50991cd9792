using Quoncept.Sidecar.Actors.Durations;

namespace Quoncept.Sidecar.Actors.Timers;

/// <summary>
/// When a timer or reminder fires: first at <see cref="DueAt"/>, then every <see cref="Period"/> for
/// the period's repetitions, never after <see cref="ExpiresAt"/> (the optional <c>ttl</c>).
/// </summary>
internal sealed record ActorSchedule(DateTimeOffset DueAt, ActorPeriod Period, DateTimeOffset? ExpiresAt)
{
    /// <summary>
    /// Reads <c>dueTime</c>, <c>period</c> and <c>ttl</c> as daprd does: dueTime relative to now (or an
    /// RFC 3339 time), ttl relative to the due time (or absolute). Throws <see cref="FormatException"/>.
    /// </summary>
    public static ActorSchedule Parse(string? dueTime, string? period, string? ttl, DateTimeOffset now)
    {
        var parsedPeriod = ActorPeriod.Parse(period);
        var dueAt = ActorDueTime.Parse("dueTime", dueTime, now);
        DateTimeOffset? expiresAt = null;
        if (!string.IsNullOrEmpty(ttl))
        {
            expiresAt = ActorDueTime.Parse("ttl", ttl, dueAt);
            if (expiresAt < dueAt)
            {
                throw new FormatException($"ttl '{ttl}' ends before the due time");
            }
        }
        return new ActorSchedule(dueAt, parsedPeriod, expiresAt);
    }

    /// <summary>The fire time after one at <paramref name="fired"/>, or null when it was the last.</summary>
    public DateTimeOffset? Next(DateTimeOffset fired, int remainingAfterThis, DateTimeOffset now)
    {
        if (!Period.HasRepeats || remainingAfterThis == 0)
        {
            return null;
        }
        var next = Period.Following(fired);
        if (next < now)
        {
            next = now; // behind schedule (a slow call, a restart): fire once now, not a burst
        }
        return ExpiresAt is { } expires && next > expires ? null : next;
    }
}
