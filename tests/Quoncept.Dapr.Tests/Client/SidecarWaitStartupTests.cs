using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Quoncept.Dapr.Tests.Client;

public sealed class SidecarWaitStartupTests
{
    [Fact]
    public async Task AddDaprSidecarWait_NoSidecar_HostStartFailsWithClearMessage()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var services = new ServiceCollection();
        services.AddDaprClient(b => b.UseHttpEndpoint($"http://127.0.0.1:{port}"));
        services.AddDaprSidecarWait(TimeSpan.FromMilliseconds(600));
        await using var provider = services.BuildServiceProvider();
        var waiter = Assert.Single(provider.GetServices<IHostedService>());
        var ex = await Assert.ThrowsAsync<DaprException>(() => waiter.StartAsync(CancellationToken.None));
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
    }
}
