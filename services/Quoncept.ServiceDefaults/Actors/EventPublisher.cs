using Microsoft.Extensions.Logging;
using Quoncept.Contracts;
using Quoncept.Dapr;

namespace Quoncept.ServiceDefaults.Actors;

/// <summary>
/// Publishes saved events through the sidecar: every event to <see cref="Topics.Events"/>, and
/// the ones gateways fan out (system events, SessionEnded) also to <see cref="Topics.Live"/>.
/// Serialized as <see cref="UniverseEvent"/> so the JSON carries its "type" discriminator.
/// </summary>
public sealed class EventPublisher(DaprClient dapr, ILogger<EventPublisher> logger)
{
    public static bool IsLive(UniverseEvent e) => e is SystemEvent or SessionEnded;

    /// <summary>
    /// Publishes <paramref name="pending"/> in order, stopping at the first failure.
    /// Returns how many were published (all of them on success).
    /// </summary>
    public async Task<int> PublishAsync(IReadOnlyList<UniverseEvent> pending, CancellationToken cancellationToken)
    {
        for (var i = 0; i < pending.Count; i++)
        {
            var e = pending[i];
            try
            {
                var events = dapr.PublishEventAsync<UniverseEvent>(Topics.PubSub, Topics.Events, e, cancellationToken);
                if (IsLive(e))
                {
                    await dapr.PublishEventAsync<UniverseEvent>(Topics.PubSub, Topics.Live, e, cancellationToken).ConfigureAwait(false);
                }

                await events.ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(failure, "Publishing {EventType} {EventId} failed; {Count} event(s) stay in the outbox for a retry", e.GetType().Name, e.EventId, pending.Count - i);
                return i;
            }
        }

        return pending.Count;
    }
}
