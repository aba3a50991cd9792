using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Actors;

/// <summary>
/// The official @dapr/dapr JS SDK, unmodified, hosting and calling actors through the runtime in
/// daprd-flag mode (tests/node/dapr-conformance/actors.mjs): registration, ActorProxyBuilder
/// invocation, state, timers and reminders.
/// </summary>
public sealed class DaprSdkActorConformanceTests
{
    [Theory]
    [InlineData("actor-invoke")]
    [InlineData("actor-state")]
    [InlineData("actor-timer")]
    [InlineData("actor-reminder")]
    public async Task DaprJsSdk_ActorScenario_Passes(string scenario)
    {
        var (exitCode, output) = await NodeConformance.RunAsync(scenario, script: "actors.mjs", appId: "actors-conformance");
        Assert.True(exitCode == 0, $"scenario {scenario} failed (exit {exitCode}):\n{output}");
        Assert.Contains($"PASS {scenario}", output, StringComparison.Ordinal);
    }
}
