using Quoncept.Faults.Faults;

// Fault injection and fuzzing against the whole system on free ports:
//   dotnet run -c Release --project tests/Quoncept.Faults -- faults [options]   (exit 0 = every check held)
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
            var report = await new FaultRun(settings, Console.Out).RunAsync(interrupt.Token);
            report.Print(Console.Out);
            return report.Passed ? 0 : 1;
        default:
            Console.Error.WriteLine($"usage: {FaultSettings.Usage}");
            return 2;
    }
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"error: {error.Message}");
    return 2;
}
