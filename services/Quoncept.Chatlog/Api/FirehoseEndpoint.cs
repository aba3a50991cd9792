using System.Text.Json;
using Dapr;
using Dapr.AspNetCore;
using Quoncept.Chatlog.Log;
using Quoncept.Contracts;

namespace Quoncept.Chatlog.Api;

internal static class FirehoseEndpoint
{
    public const string Route = "/chat";

    /// <summary>Most lines one delivery carries (and one store transaction writes).</summary>
    public const int MaxBatch = 100;

    /// <summary>Longest event id taken into a key; the actors' ids are far shorter.</summary>
    public const int MaxEventIdLength = 200;

    /// <summary>
    /// POST /chat: every line of topic "chat" (system chat, channel lines, direct messages, mail), delivered in bulk
    /// (https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-bulk/) with no wait: a line goes
    /// at once when the log is idle, and the lines that arrive while a batch is being written go together in the
    /// next one, logged by one store transaction. The app's replicas share one consumer group (the app id), so each
    /// line reaches one of them. Each entry is answered SUCCESS once its line is in the log (or was already: a
    /// redelivery), RETRY when the store failed (the sidecar delivers it again), DROP for what can never be logged
    /// (not a line, or a line without a usable id).
    /// </summary>
    public static IEndpointConventionBuilder MapFirehose(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Route, async (BulkSubscribeMessage<JsonElement> message, ChatLogWriter writer, ILogger<ChatLogWriter> logger, CancellationToken cancellationToken) =>
            {
                var entries = message.Entries ?? [];
                var statuses = new BulkSubscribeAppResponseEntry[entries.Count];
                var lines = new List<LoggedLine>(entries.Count);
                var lineEntries = new List<int>(entries.Count);
                for (var i = 0; i < entries.Count; i++)
                {
                    if (Read(entries[i], logger) is { Count: > 0 } read)
                    {
                        lines.AddRange(read);
                        lineEntries.Add(i);
                    }
                    else
                    {
                        statuses[i] = new(entries[i].EntryId, BulkSubscribeAppResponseStatus.DROP);
                    }
                }

                var outcome = BulkSubscribeAppResponseStatus.SUCCESS;
                try
                {
                    await writer.AppendAsync(lines, cancellationToken);
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    logger.LogWarning(failure, "Logging {Count} line(s) from {EventId} failed; the sidecar will deliver them again", lines.Count, lines[0].EventId);
                    outcome = BulkSubscribeAppResponseStatus.RETRY;
                }
                foreach (var i in lineEntries) statuses[i] = new(entries[i].EntryId, outcome);
                return Results.Json(new BulkSubscribeAppResponse([.. statuses]));
            })
            .WithTopic(Topics.PubSub, Topics.Chat)
            .WithBulkSubscribe(new BulkSubscribeTopicOptions { TopicName = Topics.Chat, MaxMessagesCount = MaxBatch, MaxAwaitDurationMs = 0 });

    /// <summary>The entry's lines that can be logged (those that cannot are logged as dropped); none when it is not a CloudEvent with lines.</summary>
    private static List<LoggedLine> Read(BulkSubscribeMessageEntry<JsonElement> entry, ILogger logger)
    {
        if (WireJson.FromCloudEvent(entry.Event, out var problem) is not { } e)
        {
            logger.LogWarning("Dropped entry {EntryId} on topic chat: not a CloudEvent with a UniverseEvent ({Problem})", entry.EntryId, problem);
            return [];
        }

        var lines = LoggedLine.LinesOf(e);
        if (lines.Count == 0)
        {
            logger.LogWarning("Dropped entry {EntryId} on topic chat: not a line ({Type})", entry.EntryId, e.GetType().Name);
            return [];
        }

        var usable = new List<LoggedLine>(lines.Count);
        foreach (var line in lines)
        {
            if (line.EventId.Length is 0 or > MaxEventIdLength || line.EventId.Contains('/', StringComparison.Ordinal) || line.AtUnixMs < 0)
            {
                logger.LogWarning("Dropped line {EventId}: its event id or time cannot be logged", line.EventId);
                continue;
            }
            usable.Add(line);
        }
        return usable;
    }
}
