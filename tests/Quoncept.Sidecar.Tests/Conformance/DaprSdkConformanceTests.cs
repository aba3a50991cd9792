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

    /// <summary>The runtime started with DAPR_API_TOKEN refuses calls without it; the SDK, given the same variable, is let in.</summary>
    [Theory]
    [InlineData("grpc")]
    [InlineData("invoke")]
    public async Task DaprJsSdk_ApiTokenInBothEnvironments_Passes(string scenario)
    {
        var (exitCode, output) = await NodeConformance.RunAsync(scenario, apiToken: "conformance-token");
        Assert.True(exitCode == 0, $"scenario {scenario} with an API token failed (exit {exitCode}):\n{output}");
        Assert.Contains($"PASS {scenario}", output, StringComparison.Ordinal);
    }
}
