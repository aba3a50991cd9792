namespace Quoncept.Universe.Tests.Faults;

/// <summary>
/// The fuzzer (tests/Quoncept.Faults fuzz) in a short bounded run against a system of its own: random and mutated
/// ClientMessages, oversized strings, invalid UTF-8, unknown fields, request-id floods and repeats, streams opened
/// and dropped, forged metadata, random unary bytes, random bodies to the runtime's HTTP and gRPC APIs.
/// </summary>
public sealed class FuzzTests
{
    [Fact]
    public async Task Fuzz_ShortBoundedRun_NoCrashNoHangMemoryBackEveryRefusalClear()
    {
        var (exit, output) = await HarnessProcess.RunAsync("fuzz", "--seconds", "10", "--max-inputs", "4000", "--seed", "7");

        Assert.True(exit == 0, output);
        Assert.Contains("RESULT: PASS", output, StringComparison.Ordinal);
        Assert.Matches(@"fuzz: \d+ inputs tried", output);
        Assert.Contains("stream:invalid-utf8", output, StringComparison.Ordinal);
        Assert.Contains("runtime:http", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fuzz_BadOption_ClearErrorAndExit2()
    {
        var (exit, output) = await HarnessProcess.RunAsync("fuzz", "--max-inputs", "lots");
        Assert.Equal(2, exit);
        Assert.Contains("--max-inputs 'lots' must be a whole number 1..100000000", output, StringComparison.Ordinal);
    }
}
