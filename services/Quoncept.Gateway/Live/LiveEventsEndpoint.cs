using System.Text.Json;
using Quoncept.Contracts;
using Quoncept.Dapr;

namespace Quoncept.Gateway.Live;

internal static class LiveEventsEndpoint
{
    public const string Route = "/live";

    /// <summary>
    /// POST /live: the sidecar delivers the live events of topic "events" here, those that match
    /// <see cref="Topics.LiveMatch"/> (the CloudEvents middleware has unwrapped the event's data, a
    /// <see cref="UniverseEvent"/> as JSON). The rule is the only route, so the other events are
    /// dropped by the sidecar (https://docs.dapr.io/developing-applications/building-blocks/pubsub/howto-route-messages/).
    /// The subscription asks for consumerID "{uuid}" (a value unique per replica), so that every
    /// replica receives every event instead of competing for them (https://docs.dapr.io/reference/api/pubsub_api/#provide-a-route-for-dapr-to-deliver-topic-events).
    /// </summary>
    public static IEndpointConventionBuilder MapLiveEvents(this IEndpointRouteBuilder endpoints)
    {
        return endpoints.MapPost(Route, async (HttpRequest request, LiveEventHandler handler, ILogger<LiveEventHandler> logger) =>
        {
            UniverseEvent? e;
            try
            {
                e = await JsonSerializer.DeserializeAsync(request.Body, ContractsJson.Default.UniverseEvent, request.HttpContext.RequestAborted);
            }
            catch (JsonException error)
            {
                logger.LogWarning("Dropping a live event that is not a UniverseEvent: {Error}", error.Message);
                return TopicResults.Drop();
            }
            if (e is null) return TopicResults.Drop();
            handler.Handle(e);
            return TopicResults.Success();
        }).WithTopic(new TopicOptions
        {
            PubsubName = Topics.PubSub,
            Name = Topics.Events,
            Match = Topics.LiveMatch,
            Metadata = new Dictionary<string, string> { ["consumerID"] = "{uuid}" },
        });
    }
}
