using System.Globalization;

namespace Quoncept.Faults.Faults;

/// <summary>What a fault run found, printed as the harness's figures; <see cref="Passed"/> when nothing was violated.</summary>
internal sealed record FaultReport(FaultSettings Settings, int Players, IReadOnlyList<KillRecord> Kills, FaultLedger Ledger)
{
    public bool Passed => Ledger.Violations.Count == 0 && Kills.All(k => k.Gap is not null);

    public void Print(TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(string.Create(inv, $"fault harness: {Players} players over 2 gateways, {Kills.Count} kills ({string.Join(", ", Kills.Select(k => $"{k.Target}/{k.Signal}"))}), grace period {Settings.GracePeriod.TotalSeconds:0} s"));
        output.WriteLine(string.Create(inv, $"  requests answered:          {Ledger.RequestLatencies.Count} ({string.Join(", ", Ledger.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"))})"));
        output.WriteLine(string.Create(inv, $"  retried (same request id):  {Ledger.Retries}"));
        output.WriteLine(string.Create(inv, $"  chats acknowledged:         {Ledger.AcknowledgedChats}; live events seen {Ledger.Events}"));
        output.WriteLine($"  request time incl. retries: {Percentiles.Summary(Ledger.RequestLatencies)}");
        output.WriteLine($"  gap until actors serve again after a kill: {Percentiles.Summary(Kills.Where(k => k.Target != "gateway").Select(k => k.Gap).OfType<TimeSpan>().ToList())}");
        output.WriteLine($"  killed gateway ready again: {Percentiles.Summary(Kills.Where(k => k.Target == "gateway").Select(k => k.Ready).ToList())}");
        output.WriteLine($"  streams resumed on a live gateway (break to resumed, same connection id): {Percentiles.Summary(Ledger.Resumes)}");
        output.WriteLine($"  streams resumed after the whole runtime was killed and started again: {Percentiles.Summary(Ledger.ResumesAfterOutage)}");
        output.WriteLine($"  Terminate received: {(Ledger.Terminations.Count == 0 ? "none" : string.Join(", ", Ledger.Terminations.Select(t => $"{t.Key} {t.Value}")))}");
        output.WriteLine($"  violations: {Ledger.Violations.Count}");
        foreach (var violation in Ledger.Violations.Take(50)) output.WriteLine($"    - {violation}");
        foreach (var kill in Kills.Where(k => k.Gap is null)) output.WriteLine($"    - {kill.Victim}: {kill.Describe()}");
        output.WriteLine(Passed
            ? "RESULT: PASS (no acknowledged change lost, no request applied twice, nobody seen leaving, every kill recovered)"
            : "RESULT: FAIL");
    }
}
