using System.Globalization;

namespace Quoncept.Faults.Faults;

/// <summary>What a rolling restart found: the figures the issue asks for, and <see cref="Passed"/> when it was invisible to players.</summary>
internal sealed record RollingReport(FaultSettings Settings, int Players, IReadOnlyList<RestartRecord> Restarts, FaultLedger Ledger)
{
    public bool Passed => Ledger.Violations.Count == 0 && Restarts.All(r => r.Back is not null);

    public void Print(TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine();
        var replicas = Settings.ServiceReplicas > 1 ? $" and {Settings.ServiceReplicas} processes of each service" : "";
        output.WriteLine($"rolling restart under load: {Players} players over 2 gateways{replicas}; SIGTERM, one at a time, each back and ready before the next: {string.Join(", ", Restarts.Select(r => r.Instance))}");
        foreach (var restart in Restarts)
        {
            output.WriteLine($"  {restart.Describe()}");
            output.WriteLine($"      requests started during it (time incl. retries): {Percentiles.Summary(restart.Latencies)}");
        }
        output.WriteLine(string.Create(inv, $"  departure events seen by other players:     {Ledger.DepartureCount}"));
        output.WriteLine(string.Create(inv, $"  requests failed beyond the client's retries: {Ledger.FailedBeyondRetriesCount}"));
        output.WriteLine(string.Create(inv, $"  acknowledged changes lost:                  {Ledger.LostCount}"));
        output.WriteLine(string.Create(inv, $"  duplicate applications:                     {Ledger.DuplicateCount}"));
        output.WriteLine(string.Create(inv, $"  requests answered: {Ledger.RequestLatencies.Count} ({string.Join(", ", Ledger.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"))}); retried by the client library (same request id): {Ledger.Retries}"));
        output.WriteLine($"  request time incl. retries, whole run: {Percentiles.Summary(Ledger.RequestLatencies)}");
        output.WriteLine($"  streams resumed by the client library (end to resumed, same connection id): {Percentiles.Summary(Ledger.Resumes)}");
        output.WriteLine($"  Terminate received: {(Ledger.Terminations.Count == 0 ? "none" : string.Join(", ", Ledger.Terminations.Select(t => $"{t.Key} {t.Value}")))}");
        output.WriteLine($"  violations: {Ledger.Violations.Count}");
        foreach (var violation in Ledger.Violations.Take(50)) output.WriteLine($"    - {violation}");
        output.WriteLine(Passed
            ? "RESULT: PASS (invisible: nobody seen leaving, no request failed beyond retries, nothing acknowledged lost or applied twice)"
            : "RESULT: FAIL");
    }
}
