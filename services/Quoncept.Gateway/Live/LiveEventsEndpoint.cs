using System.Text.Json;
using Dapr;
using Dapr.AspNetCore;
using Microsoft.Extensions.Options;
using Quoncept.Contracts;

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
    /// An entry that is not a UniverseEvent is answered DROP (and logged): redelivering it cannot help.
    /// </summary>
    public static IEndpointConventionBuilder MapLiveEvents(this IEndpointRouteBuilder endpoints)
    {
        return endpoints.MapPost(Route, (BulkSubscribeMessage<JsonElement> message, LiveEventHandler handler, IOptions<GatewayOptions> options, ILogger<LiveEventHandler> logger) =>
            {
                var statuses = new List<BulkSubscribeAppResponseEntry>(message.Entries?.Count ?? 0);
                foreach (var entry in message.Entries ?? [])
                {
                    var status = BulkSubscribeAppResponseStatus.SUCCESS;
                    if (WireJson.FromCloudEvent(entry.Event, out _) is { } e)
                    {
                        var type = e.GetType().Name;
                        GatewayMetrics.LiveEventReceived(type);
                        using var span = GatewayTracing.StartLiveEvent(type, Attribute(entry, "traceparent"), Attribute(entry, "tracestate"), options.Value.GatewayId);
                        var queued = handler.Handle(e);
                        span?.SetTag("quoncept.fanout.connections", queued);
                    }
                    else
                    {
                        logger.LogWarning("Dropped live event entry {EntryId}: its data is not a UniverseEvent", entry.EntryId);
                        status = BulkSubscribeAppResponseStatus.DROP;
                    }

                    statuses.Add(new BulkSubscribeAppResponseEntry(entry.EntryId, status));
                }

                return Results.Json(new BulkSubscribeAppResponse(statuses));
            })
            .WithTopic(new TopicOptions
            {
                PubsubName = Topics.PubSub,
                Name = Topics.Events,
                Match = Topics.LiveMatch,
                Metadata = new Dictionary<string, string> { ["consumerID"] = "{uuid}" },
            })
            .WithBulkSubscribe(new BulkSubscribeTopicOptions { TopicName = Topics.Events, MaxMessagesCount = MaxBatch, MaxAwaitDurationMs = 0 });
    }

    /// <summary>A string attribute of the entry's CloudEvent (Dapr puts the publisher's trace context in traceparent / tracestate).</summary>
    private static string? Attribute(BulkSubscribeMessageEntry<JsonElement> entry, string name) =>
        entry.Event.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
