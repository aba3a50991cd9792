using Quoncept.Contracts;
using Quoncept.Dapr;

namespace Quoncept.Gateway.Live;

internal static class LiveEventsEndpoint
{
    public const string Route = "/live";

    /// <summary>Most live events one delivery carries.</summary>
    public const int MaxBatch = 100;

    /// <summary>
    /// POST /live: the sidecar delivers the live events of topic "events" here, those that match
    /// <see cref="Topics.LiveMatch"/>. The rule is the only route, so the other events are dropped
    /// by the sidecar (https://docs.dapr.io/developing-applications/building-blocks/pubsub/howto-route-messages/).
    /// The subscription asks for consumerID "{uuid}" (a value unique per replica), so that every
    /// replica receives every event instead of competing for them (https://docs.dapr.io/reference/api/pubsub_api/#provide-a-route-for-dapr-to-deliver-topic-events).
    /// Deliveries are bulk (https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-bulk/)
    /// with no wait: an event goes at once when the replica is idle, and the events that arrive
    /// while a delivery is in flight go together in the next one, in topic order. Under load that is
    /// one request per batch instead of one per event.
    /// </summary>
    public static IEndpointConventionBuilder MapLiveEvents(this IEndpointRouteBuilder endpoints)
    {
        return endpoints.MapPost(Route, (HttpRequest request, LiveEventHandler handler) =>
            BulkSubscribeMessage.HandleEachAsync(request, ContractsJson.Default.UniverseEvent, (entry, _) =>
            {
                // An entry that is not a UniverseEvent never gets here: the reader answers it DROP and logs why.
                handler.Handle(entry.Event);
                return ValueTask.FromResult(BulkSubscribeAppResponseStatus.SUCCESS);
            }))
            .WithTopic(new TopicOptions
            {
                PubsubName = Topics.PubSub,
                Name = Topics.Events,
                Match = Topics.LiveMatch,
                Metadata = new Dictionary<string, string> { ["consumerID"] = "{uuid}" },
            })
            .WithBulkSubscribe(Topics.Events, maxMessagesCount: MaxBatch, maxAwaitDurationMs: 0);
    }
}
