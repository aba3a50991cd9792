using Dapr.Client;
using Quoncept.Conformance.Tests.Harness;
using Quoncept.Sidecar.Runner;

namespace Quoncept.Conformance.Tests;

/// <summary>What an app does before its first call: wait for the sidecar, check its health.</summary>
[Collection(nameof(SharedRuntimeCollection))]
public sealed class SidecarHealthTests(SharedRuntime runtime)
{
    [Fact]
    public async Task WaitForSidecarAsync_RuntimeUp_Returns()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await runtime.Client.WaitForSidecarAsync(deadline.Token);
    }

    [Fact]
    public async Task CheckHealthAsync_RuntimeUp_True()
    {
        Assert.True(await runtime.Client.CheckHealthAsync());
        Assert.True(await runtime.Client.CheckOutboundHealthAsync());
    }

    [Fact]
    public async Task WaitForSidecarAsync_NothingListening_KeepsWaitingUntilCancelled()
    {
        // The same calls against a port nobody serves: the health checks say false, and the wait does not return.
        var nowhere = $"http://127.0.0.1:{FreePort.Next()}";
        using var client = new DaprClientBuilder().UseHttpEndpoint(nowhere).UseGrpcEndpoint(nowhere).UseDaprApiToken("").Build();
        Assert.False(await client.CheckHealthAsync());
        Assert.False(await client.CheckOutboundHealthAsync());

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.WaitForSidecarAsync(deadline.Token));
    }
}
