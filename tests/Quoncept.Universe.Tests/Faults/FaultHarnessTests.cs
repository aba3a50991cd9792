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
    public async Task Faults_RollingRestartOfEveryServiceAndGatewayUnderLoad_InvisibleToPlayers()
    {
        var (exit, output) = await RunHarnessAsync("--rolling", "--clients", "6");

        Assert.True(exit == 0, output);
        Assert.Contains("RESULT: PASS", output, StringComparison.Ordinal);
        foreach (var instance in new[] { "sessions", "characters", "systems", "gateway-1", "gateway-2" })
        {
            Assert.Matches($@"{instance} restarted \(pid \d+ -> \d+\), back and ready after \d+ ms", output);
        }
        Assert.Contains("departure events seen by other players:     0", output, StringComparison.Ordinal);
        Assert.Contains("requests failed beyond the client's retries: 0", output, StringComparison.Ordinal);
        Assert.Contains("acknowledged changes lost:                  0", output, StringComparison.Ordinal);
        Assert.Contains("duplicate applications:                     0", output, StringComparison.Ordinal);
        // The clients of each stopping gateway were told so and the client library resumed them on the other one.
        Assert.Matches(@"Terminate received: .*shutdown [1-9]", output);
        Assert.Matches(@"streams resumed by the client library .*: p50 \d+ ms", output);
    }

    [Theory]
    [InlineData("redis", "SIGKILL redis server")]
    [InlineData("nats", "SIGKILL nats server")]
    [InlineData("postgres", "SIGKILL postgres server")]
    public async Task Faults_ProfileServersKilledAndStartedAgain_NothingAcknowledgedLost(string profile, string killed)
    {
        var (exit, output) = await RunHarnessAsync("--profile", profile, "--clients", "6", "--seconds", "1");

        Assert.True(exit == 0, output);
        Assert.Contains("RESULT: PASS", output, StringComparison.Ordinal);
        Assert.Contains(killed, output, StringComparison.Ordinal);
        Assert.Contains($"profile {profile}: components/{profile}", output, StringComparison.Ordinal);
        Assert.Matches(@"systems actors serve again after \d+ ms", output);
    }

    [Theory]
    [InlineData(new[] { "--profile", "mysql" }, "--profile 'mysql' must be one of redis, nats, postgres")]
    [InlineData(new[] { "--rolling", "--targets", "runtime" }, "--targets 'runtime': each must be one of sessions, characters, systems, gateway-1, gateway-2")]
    [InlineData(new[] { "--targets", "redis" }, "--targets 'redis': each must be one of sessions, characters, systems, gateway, runtime")]
    [InlineData(new[] { "--service-replicas", "2" }, "--service-replicas needs --rolling")]
    public async Task Faults_BadRollingOrProfileOption_ClearErrorAndExit2(string[] args, string message)
    {
        var (exit, output) = await RunHarnessAsync(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, output, StringComparison.Ordinal);
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
