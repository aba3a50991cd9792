using Quoncept.Faults.Faults;
using Quoncept.Faults.Fuzz;

// Fault injection and fuzzing against the whole system on free ports:
//   dotnet run -c Release --project tests/Quoncept.Faults -- faults [options]   (exit 0 = every check held)
//   dotnet run -c Release --project tests/Quoncept.Faults -- faults --rolling [options]   (exit 0 = the rolling restart was invisible)
//   dotnet run -c Release --project tests/Quoncept.Faults -- fuzz [options]     (exit 0 = no crash, hang, leak or unclear refusal)
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};
try
{
    switch (args.FirstOrDefault())
    {
        case "faults":
            var settings = FaultSettings.Parse(args[1..]);
            if (settings.Rolling)
            {
                var rolling = await new RollingRun(settings, Console.Out).RunAsync(interrupt.Token);
                rolling.Print(Console.Out);
                return rolling.Passed ? 0 : 1;
            }
            var report = await new FaultRun(settings, Console.Out).RunAsync(interrupt.Token);
            report.Print(Console.Out);
            return report.Passed ? 0 : 1;
        case "fuzz":
            var fuzz = FuzzSettings.Parse(args[1..]);
            var outcome = await new FuzzRun(fuzz, Console.Out).RunAsync(interrupt.Token);
            outcome.Print(Console.Out);
            return outcome.Passed ? 0 : 1;
        default:
            Console.Error.WriteLine($"usage: {FaultSettings.Usage}\n       {FuzzSettings.Usage}");
            return 2;
    }
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"error: {error.Message}");
    return 2;
}
