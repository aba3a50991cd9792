using System.Text.Json;
using Dapr;
using Dapr.AspNetCore;
using Quoncept.Contracts;

namespace Quoncept.Gateway.Social;

internal static class ChatEventsEndpoint
{
    public const string Route = "/live/chat";

    /// <summary>
    /// POST /live/chat: the social lines of topic "chat" (channel lines, direct messages, mail:
    /// <see cref="Topics.SocialLineMatch"/>, no default route; the firehose copy of system chat is dropped by the
    /// sidecar, since the gateway takes system chat from "events" in order with its system's presence), delivered in
    /// bulk with no wait and one consumer per replica (consumerID "{uuid}"), exactly as /live receives
    /// the system events: every replica gets every line and routes it to the connections it holds.
    /// An entry that is not a UniverseEvent is answered DROP (and logged).
    /// </summary>
    public static IEndpointConventionBuilder MapChatEvents(this IEndpointRouteBuilder endpoints)
    {
        return endpoints.MapPost(Route, (BulkSubscribeMessage<BulkMessageModel<JsonElement>> message, SocialRouter router, ILogger<SocialRouter> logger) =>
            {
                var statuses = new List<BulkSubscribeAppResponseEntry>(message.Entries?.Count ?? 0);
                foreach (var entry in message.Entries ?? [])
                {
                    var status = BulkSubscribeAppResponseStatus.SUCCESS;
                    if (Read(entry) is { } e)
                    {
                        router.Deliver(e);
                    }
                    else
                    {
                        logger.LogWarning("Dropped chat entry {EntryId}: its data is not a UniverseEvent", entry.EntryId);
                        status = BulkSubscribeAppResponseStatus.DROP;
                    }
                    statuses.Add(new BulkSubscribeAppResponseEntry(entry.EntryId, status));
                }
                return Results.Json(new BulkSubscribeAppResponse(statuses));
            })
            .WithTopic(new TopicOptions
            {
                PubsubName = Topics.PubSub,
                Name = Topics.Chat,
                Match = Topics.SocialLineMatch,
                Metadata = new Dictionary<string, string> { ["consumerID"] = "{uuid}" },
            })
            .WithBulkSubscribe(new BulkSubscribeTopicOptions { TopicName = Topics.Chat, MaxMessagesCount = 100, MaxAwaitDurationMs = 0 });
    }

    private static UniverseEvent? Read(BulkSubscribeMessageEntry<BulkMessageModel<JsonElement>> entry)
    {
        if (entry.Event is not { Data.ValueKind: JsonValueKind.Object } cloudEvent) return null;
        try
        {
            return cloudEvent.Data.Deserialize<UniverseEvent>(WireJson.Options);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
