using System.Text.Json;
using Dapr;
using Quoncept.Chatlog.Log;
using Quoncept.Contracts;

namespace Quoncept.Chatlog.Api;

internal static class FirehoseEndpoint
{
    public const string Route = "/chat";

    /// <summary>Longest event id taken into a key; the actors' ids are far shorter.</summary>
    public const int MaxEventIdLength = 200;

    /// <summary>
    /// POST /chat: every line of topic "chat" (system chat, channel lines, direct messages, mail), one delivery at a
    /// time. The app's replicas share one consumer group (the app id), so each line reaches one of them. Answers
    /// SUCCESS once the line is in the log (or was already: a redelivery), RETRY when the store failed (the sidecar
    /// delivers it again), DROP for what can never be logged (not a line, or a line without a usable id).
    /// </summary>
    public static IEndpointConventionBuilder MapFirehose(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Route, [Topic(Topics.PubSub, Topics.Chat)] async (HttpRequest http, ChatLogWriter writer, ILogger<ChatLogWriter> logger) =>
        {
            UniverseEvent? e;
            try
            {
                using var cloudEvent = await JsonDocument.ParseAsync(http.Body, cancellationToken: http.HttpContext.RequestAborted);
                e = cloudEvent.RootElement.ValueKind == JsonValueKind.Object && cloudEvent.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                    ? data.Deserialize<UniverseEvent>(WireJson.Options)
                    : null;
            }
            catch (Exception failure) when (failure is JsonException or NotSupportedException)
            {
                logger.LogWarning("Dropped a delivery on topic chat that is not a CloudEvent with a UniverseEvent: {Problem}", failure.Message);
                return Status("DROP");
            }

            if (e is null || LoggedLine.From(e) is not { } line)
            {
                logger.LogWarning("Dropped a delivery on topic chat that is not a line ({Type})", e?.GetType().Name ?? "no data");
                return Status("DROP");
            }
            if (line.EventId.Length is 0 or > MaxEventIdLength || line.EventId.Contains('/', StringComparison.Ordinal) || line.AtUnixMs < 0)
            {
                logger.LogWarning("Dropped line {EventId}: its event id or time cannot be logged", line.EventId);
                return Status("DROP");
            }

            try
            {
                await writer.AppendAsync(line, http.HttpContext.RequestAborted);
                return Status("SUCCESS");
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                logger.LogWarning(failure, "Logging {EventId} failed; the sidecar will deliver it again", line.EventId);
                return Status("RETRY");
            }
        });

    private static IResult Status(string status) => Results.Json(new { status });
}
