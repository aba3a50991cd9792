using Quoncept.Universe.Tests.EndToEnd;

namespace Quoncept.Universe.Tests.Faults;

/// <summary>
/// The fault harness (tests/Quoncept.Faults) in its short form: a whole system of its own on free ports, players
/// under steady load, and each process killed in turn. It exits 0 only when no acknowledged change was lost, no
/// request applied twice, nobody seen leaving, and every kill recovered.
/// </summary>
public sealed class FaultHarnessTests
{
    [Fact]
    public async Task Faults_SigkillEachServiceAGatewayAndTheRuntime_NothingAcknowledgedLostAndAllRecover()
    {
        var (exit, output) = await RunHarnessAsync("--clients", "6", "--seconds", "1", "--targets", "sessions,characters,systems,gateway,runtime");

        Assert.True(exit == 0, output);
        Assert.Contains("RESULT: PASS", output, StringComparison.Ordinal);
        Assert.Contains("SIGKILL gateway-1", output, StringComparison.Ordinal);
        Assert.Contains("characters actors serve again after", output, StringComparison.Ordinal);
        Assert.Contains("gap until actors serve again after a kill: p50", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Faults_SigtermToAGatewayAndAService_ClientsToldShutdownResumeElsewhereAndNothingFails()
    {
        var (exit, output) = await RunHarnessAsync("--clients", "6", "--seconds", "1", "--targets", "gateway,characters", "--signal", "term");

        Assert.True(exit == 0, output);
        Assert.Contains("RESULT: PASS", output, StringComparison.Ordinal);
        // The clients of the stopping gateway were told so (Terminate "shutdown") and resumed on the other one.
        Assert.Matches(@"Terminate received: .*shutdown [1-9]", output);
        Assert.Matches(@"streams resumed on a live gateway .*: p50 \d+ ms", output);
    }

    [Fact]
    public async Task Faults_BadOption_ClearErrorAndExit2()
    {
        var (exit, output) = await RunHarnessAsync("--targets", "database");
        Assert.Equal(2, exit);
        Assert.Contains("--targets 'database': each must be one of sessions, characters, systems, gateway, runtime", output, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Output)> RunHarnessAsync(params string[] args) => HarnessProcess.RunAsync("faults", args);
}
