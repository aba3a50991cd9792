namespace Quoncept.Sidecar.Actors.Durations;

/// <summary>
/// A reminder or timer <c>period</c> as daprd parses it (dapr/dapr pkg/actors/api/period.go): ISO 8601
/// with optional <c>Rn/</c> repetitions, else a Go duration; empty means "fire once". Negative
/// durations are rejected here (daprd would loop backwards).
/// </summary>
internal sealed class ActorPeriod
{
    public static readonly ActorPeriod None = new(string.Empty, 0, 0, 0, TimeSpan.Zero, -1);

    private ActorPeriod(string value, int years, int months, int days, TimeSpan duration, int repetitions)
    {
        Value = value;
        Years = years;
        Months = months;
        Days = days;
        Duration = duration;
        Repetitions = repetitions;
    }

    /// <summary>The text as the app sent it; given back unchanged in callbacks and GET.</summary>
    public string Value { get; }

    public int Years { get; }

    public int Months { get; }

    public int Days { get; }

    public TimeSpan Duration { get; }

    /// <summary>How many times to fire in total; -1 = until deleted.</summary>
    public int Repetitions { get; }

    /// <summary>Whether the reminder fires more than once.</summary>
    public bool HasRepeats => Repetitions != 0 && (Years != 0 || Months != 0 || Days != 0 || Duration != TimeSpan.Zero);

    public DateTimeOffset Following(DateTimeOffset time) => time.AddYears(Years).AddMonths(Months).AddDays(Days).Add(Duration);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with the reason.</summary>
    public static ActorPeriod Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return None;
        }
        if (IsoDuration.TryParse(text, out var iso, out var isoError))
        {
            return new ActorPeriod(text, iso.Years, iso.Months, iso.Days, iso.Time, iso.Repetitions);
        }
        if (GoDuration.TryParse(text, out var go))
        {
            if (go < TimeSpan.Zero)
            {
                throw new FormatException($"period '{text}' is negative");
            }
            return new ActorPeriod(text, 0, 0, 0, go, -1);
        }
        throw new FormatException(text.StartsWith('R') || text.StartsWith('P')
            ? $"period {isoError}"
            : $"period '{text}' is neither a Go duration (e.g. 1h2m3s, 500ms) nor an ISO 8601 duration (e.g. PT1S, R5/PT10S)");
    }
}
