using Quoncept.Gateway.Routing;

namespace Quoncept.Gateway;

/// <summary>On shutdown, every client is told (Terminate "shutdown") before its stream closes, so it reconnects elsewhere.</summary>
internal sealed class GatewayLifetime(LiveEventRouter router, ILogger<GatewayLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Gateway stopping: terminating {Count} connections", router.ConnectionCount);
        router.TerminateAll("shutdown", "the gateway is stopping; reconnect with the same connection id");
        return Task.CompletedTask;
    }
}
