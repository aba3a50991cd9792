using Microsoft.Extensions.Logging;
using Quoncept.Contracts;
using Quoncept.Dapr;

namespace Quoncept.ServiceDefaults.Actors;

/// <summary>
/// Publishes saved events through the sidecar to <see cref="Topics.Events"/>, one publish per
/// event. Serialized as <see cref="UniverseEvent"/> so the JSON carries its "type" discriminator,
/// which is what the gateways' <see cref="Topics.LiveMatch"/> rule selects on.
/// </summary>
public sealed class EventPublisher(DaprClient dapr, ILogger<EventPublisher> logger)
{
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
                await dapr.PublishEventAsync<UniverseEvent>(Topics.PubSub, Topics.Events, e, cancellationToken).ConfigureAwait(false);
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
