using System.Globalization;

namespace Quoncept.Faults.Faults;

/// <summary>One kill: what, how, when each probed kind of actor served again, and when every gateway was ready again.</summary>
internal sealed record KillRecord(string Target, string Victim, string Signal, IReadOnlyDictionary<string, TimeSpan?> ServedAgain, TimeSpan Ready)
{
    /// <summary>Until the killed service's actors served again (all of them for the runtime); null when one never did.</summary>
    public TimeSpan? Gap => ServedAgain.Count == 0 ? Ready : ServedAgain.Values.Any(v => v is null) ? null : ServedAgain.Values.Max();

    public string Describe()
    {
        var served = string.Join(", ", ServedAgain.Select(kv => kv.Value is { } t
            ? string.Create(CultureInfo.InvariantCulture, $"{kv.Key} actors serve again after {t.TotalMilliseconds:0} ms")
            : $"{kv.Key} actors NEVER served again"));
        var ready = string.Create(CultureInfo.InvariantCulture, $"every gateway ready after {Ready.TotalMilliseconds:0} ms");
        return served.Length > 0 ? $"{served}; {ready}" : ready;
    }
}
