namespace Quoncept.Sidecar.Actors.Durations;

/// <summary>
/// The ISO 8601 durations Dapr accepts for reminder and timer periods: <c>[Rn/]PnYnMnWnDTnHnMnS</c>
/// (https://docs.dapr.io/reference/api/actors_api/#reminder-request-body). Integer components only,
/// as in dapr/kit's parser, but stricter: unknown designators, a number without designator, an empty
/// <c>P</c>/<c>PT</c> and zero or negative repetitions are rejected. <see cref="Repetitions"/> is -1
/// when there is no <c>Rn/</c> prefix (repeat until deleted).
/// </summary>
internal readonly record struct IsoDuration(int Years, int Months, int Days, TimeSpan Time, int Repetitions)
{
    public static bool TryParse(string? text, out IsoDuration duration, out string? error)
    {
        duration = default;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty duration";
            return false;
        }
        var s = text.AsSpan();
        var repetitions = -1;
        if (s[0] == 'R')
        {
            var slash = s.IndexOf('/');
            if (slash < 2 || !int.TryParse(s[1..slash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out repetitions))
            {
                error = $"'{text}': repetitions must be written R<n>/ with a positive integer n";
                return false;
            }
            if (repetitions == 0)
            {
                error = $"'{text}' has zero repetitions";
                return false;
            }
            s = s[(slash + 1)..];
        }
        if (s.Length < 2 || s[0] != 'P')
        {
            error = $"'{text}' is not an ISO 8601 duration (P[n]Y[n]M[n]W[n]DT[n]H[n]M[n]S)";
            return false;
        }
        s = s[1..];
        int years = 0, months = 0, days = 0;
        var time = TimeSpan.Zero;
        var inTime = false;
        var components = 0;
        var timeComponents = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c))
            {
                continue;
            }
            if (c == 'T')
            {
                if (inTime || start != i)
                {
                    return Fail(text, out error);
                }
                inTime = true;
                start = i + 1;
                continue;
            }
            if (start == i || !int.TryParse(s[start..i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                return Fail(text, out error);
            }
            switch (c, inTime)
            {
                case ('Y', false): years += n; break;
                case ('M', false): months += n; break;
                case ('W', false): days += n * 7; break;
                case ('D', false): days += n; break;
                case ('H', true): time += TimeSpan.FromHours(n); break;
                case ('M', true): time += TimeSpan.FromMinutes(n); break;
                case ('S', true): time += TimeSpan.FromSeconds(n); break;
                default: return Fail(text, out error);
            }
            components++;
            timeComponents += inTime ? 1 : 0;
            start = i + 1;
        }
        if (start != s.Length || components == 0 || (inTime && timeComponents == 0))
        {
            return Fail(text, out error);
        }
        duration = new IsoDuration(years, months, days, time, repetitions);
        return true;
    }

    private static bool Fail(string text, out string error)
    {
        error = $"'{text}' is not an ISO 8601 duration (P[n]Y[n]M[n]W[n]DT[n]H[n]M[n]S)";
        return false;
    }
}
