namespace Quoncept.Client;

/// <summary>
/// How a connection retries a request it could not get answered: an <c>UNAVAILABLE</c> answer (an actor's host
/// restarting), no answer in time, or a stream that ended under it (its gateway stopping or gone). Every attempt
/// carries the same request id, so a request that was applied once is answered, not applied again. Between
/// attempts it waits <see cref="InitialBackoff"/>, doubling up to <see cref="MaxBackoff"/>; it gives up after
/// <see cref="MaxAttempts"/> attempts or once <see cref="Budget"/> has passed since the first one.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Patient enough to ride out a rolling restart of one service (a .NET app restarts in seconds).</summary>
    public static RetryPolicy Default { get; } = new();

    public int MaxAttempts { get; init; } = 10;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>No attempt starts later than this after the first.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(30);

    internal TimeSpan BackoffBefore(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 2, 16));
        var delay = TimeSpan.FromTicks((long)Math.Min(InitialBackoff.Ticks * factor, MaxBackoff.Ticks));
        // Spread: many clients cut at once by one restart must not come back in one wave.
        return delay * (0.5 + Random.Shared.NextDouble() / 2);
    }

    internal void Check()
    {
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "at least 1 (1 = no retry)");
        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff) throw new ArgumentOutOfRangeException(nameof(MaxBackoff), MaxBackoff, "InitialBackoff must be >= 0 and MaxBackoff >= InitialBackoff");
        if (Budget <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Budget), Budget, "must be positive");
    }
}
