using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Conformance;

/// <summary>
/// The official @dapr/dapr JS SDK, unmodified, against the runtime in daprd-flag mode: in HTTP mode, and in
/// gRPC mode ("grpc": its ConnectRPC client on the runtime's gRPC port).
/// </summary>
public sealed class DaprSdkConformanceTests
{
    [Theory]
    [InlineData("state-crud")]
    [InlineData("state-etag")]
    [InlineData("state-transaction")]
    [InlineData("publish")]
    [InlineData("invoke")]
    [InlineData("subscribe")]
    [InlineData("subscribe-bulk")]
    [InlineData("subscribe-retry-deadletter")]
    [InlineData("grpc")]
    public async Task DaprJsSdk_Scenario_Passes(string scenario)
    {
        var (exitCode, output) = await NodeConformance.RunAsync(scenario);
        Assert.True(exitCode == 0, $"scenario {scenario} failed (exit {exitCode}):\n{output}");
        Assert.Contains($"PASS {scenario}", output, StringComparison.Ordinal);
    }
}
