using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Quoncept.Dapr.Tests.Client;

public sealed class SidecarConnectionTests
{
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task WaitForSidecarAsync_NeverComes_ClearMessageWithinTimeout()
    {
        var port = UnusedPort();
        using var client = new DaprClientBuilder().UseHttpEndpoint($"http://127.0.0.1:{port}").Build();
        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<DaprException>(() => client.WaitForSidecarAsync(TimeSpan.FromSeconds(1)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
        Assert.Contains("did not become healthy within 1s", ex.Message);
        Assert.Contains("DAPR_HTTP_PORT", ex.Message);
    }

    [Fact]
    public async Task AnyCall_SidecarDown_DaprExceptionNamesAddress()
    {
        var port = UnusedPort();
        using var client = new DaprClientBuilder().UseHttpEndpoint($"http://127.0.0.1:{port}").Build();
        var ex = await Assert.ThrowsAsync<DaprException>(() => client.SaveStateAsync("s", "k", 1));
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
        Assert.Contains("POST /v1.0/state/s", ex.Message);
    }

    [Fact]
    public void Builder_BadEndpoint_ArgumentException() =>
        Assert.Throws<ArgumentException>(() => new DaprClientBuilder().UseHttpEndpoint("localhost:3500").Build());
}
