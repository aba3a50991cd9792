using Quoncept.Gateway.Routing;

namespace Quoncept.Gateway;

/// <summary>
/// Graceful shutdown. As soon as the host begins to stop (SIGTERM, before the server stops taking calls),
/// the gateway drains: it refuses new sessions and streams, and tells every client (Terminate "shutdown")
/// to resume on another gateway with the same connection id. Each stream then ends and hands its session
/// to the grace period (ignored by the session if the client already resumed elsewhere). Stopping waits,
/// bounded by the host's shutdown timeout, until the streams are gone.
/// </summary>
internal sealed class GatewayLifetime(LiveEventRouter router, GatewayDrain drain, IHostApplicationLifetime lifetime, ILogger<GatewayLifetime> logger) : IHostedService
{
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(50);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(Drain);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Drain();
        try
        {
            while (router.ConnectionCount > 0) await Task.Delay(DrainPoll, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Gateway drained: every stream ended");
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Gateway stopped with {Count} streams still open (the shutdown timeout ran out)", router.ConnectionCount);
        }
    }

    private void Drain()
    {
        if (drain.IsDraining) return;
        drain.Begin();
        logger.LogInformation("Gateway stopping: draining {Count} connections (Terminate shutdown; new sessions and streams refused)", router.ConnectionCount);
        router.TerminateAll("shutdown", "the gateway is stopping; reconnect to another gateway with the same connection id to resume");
    }
}
