namespace Quoncept.Faults.Fuzz;

/// <summary>The fuzzer's figures: inputs tried, outcomes by family and status, memory before and after, violations.</summary>
internal sealed record FuzzReport(FuzzSettings Settings, FuzzOutcomes Outcomes, (long Before, long After) Gateway, (long Before, long After) Runtime)
{
    public bool Passed => Outcomes.Violations.Count == 0;

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"fuzz: {Outcomes.Inputs} inputs tried (seed {Settings.Seed}); outcomes by family and status:");
        Outcomes.Print(output);
        output.WriteLine($"  memory: gateway {FuzzRun.Mb(Gateway.Before)} -> {FuzzRun.Mb(Gateway.After)}, runtime {FuzzRun.Mb(Runtime.Before)} -> {FuzzRun.Mb(Runtime.After)}");
        output.WriteLine($"  violations: {Outcomes.Violations.Count}");
        foreach (var violation in Outcomes.Violations.Take(50)) output.WriteLine($"    - {violation}");
        output.WriteLine(Passed
            ? "RESULT: PASS (no crash, no hang, memory back near baseline, every refusal a clear status, the system serves on)"
            : "RESULT: FAIL");
    }
}
