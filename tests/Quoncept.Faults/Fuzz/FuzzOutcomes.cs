using System.Collections.Concurrent;
using System.Globalization;

namespace Quoncept.Faults.Fuzz;

/// <summary>Inputs tried and their outcomes by family and status, and what broke the pass rule.</summary>
internal sealed class FuzzOutcomes
{
    private readonly ConcurrentDictionary<(string Family, string Outcome), int> _counts = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private int _inputs;

    public int Inputs => Volatile.Read(ref _inputs);

    public IReadOnlyCollection<string> Violations => _violations;

    /// <summary>One input of <paramref name="family"/> and what it got, e.g. "INVALID_ARGUMENT", "answer Error(INVALID_ARGUMENT)", "HTTP 400".</summary>
    public void Record(string family, string outcome)
    {
        Interlocked.Increment(ref _inputs);
        _counts.AddOrUpdate((family, outcome), 1, (_, n) => n + 1);
    }

    public void Violation(string what)
    {
        if (_violations.Count < 200) _violations.Enqueue(what);
    }

    public void Print(TextWriter output)
    {
        foreach (var family in _counts.Keys.Select(k => k.Family).Distinct().Order(StringComparer.Ordinal))
        {
            var outcomes = _counts.Where(c => c.Key.Family == family).OrderByDescending(c => c.Value)
                .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key.Outcome} {c.Value}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {family,-22} {string.Join(", ", outcomes)}"));
        }
    }
}
