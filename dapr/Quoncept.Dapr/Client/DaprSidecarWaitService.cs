using Microsoft.Extensions.Hosting;

namespace Quoncept.Dapr;

/// <summary>Blocks host start-up until the sidecar is reachable (outbound health does not depend on the app being up).</summary>
internal sealed class DaprSidecarWaitService(DaprClient client, TimeSpan timeout) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => client.WaitForSidecarAsync(timeout, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
