using System.Diagnostics;
using Quoncept.Universe.Tests.EndToEnd;

namespace Quoncept.Universe.Tests.Faults;

/// <summary>Runs tests/Quoncept.Faults (its own system on free ports) as a process and returns its exit code and output.</summary>
internal static class HarnessProcess
{
    public static async Task<(int Exit, string Output)> RunAsync(string command, params string[] args)
    {
        var dll = RepoPaths.AppDll("tests/Quoncept.Faults", "Quoncept.Faults");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, command }.Concat(args)) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGINT first: the harness stops its system (and every process in it) on Ctrl-C.
            using (var interrupt = Process.Start("kill", ["-INT", $"{process.Id}"])) await interrupt.WaitForExitAsync();
            if (!process.WaitForExit(30_000)) process.Kill(entireProcessTree: true);
            Assert.Fail($"the harness did not finish in 10 minutes:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
