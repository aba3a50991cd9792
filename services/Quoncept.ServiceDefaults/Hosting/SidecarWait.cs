using Dapr;
using Dapr.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Quoncept.ServiceDefaults.Hosting;

/// <summary>
/// Start-up waits for the sidecar (the SDK's WaitForSidecarAsync, which polls
/// /v1.0/healthz/outbound) for at most "Quoncept:Dapr:SidecarWaitTimeout", and fails with a line
/// saying where it looked instead of serving requests that can only fail.
/// </summary>
internal sealed class SidecarWait(DaprClient dapr, IOptions<SidecarWaitOptions> options, IConfiguration configuration) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.SidecarWaitTimeout;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await dapr.WaitForSidecarAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is OperationCanceledException or DaprException)
        {
            throw new InvalidOperationException(
                $"no Dapr sidecar answered at {DaprDefaults.GetDefaultHttpEndpoint(configuration)} within {timeout:c}: start the app beside one " +
                $"(./run.sh, dapr run) or set {SidecarWaitOptions.Section}:SidecarWaitTimeout", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
