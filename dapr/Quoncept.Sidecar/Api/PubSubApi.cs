using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.PubSub;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// Publishing (https://docs.dapr.io/reference/api/pubsub_api/): <c>POST /v1.0/publish/{pubsub}/{topic}</c>
/// with any payload (wrapped in a CloudEvent unless <c>metadata.rawPayload=true</c>; <c>metadata.ttlInSeconds</c>
/// sets an expiration), and bulk publish <c>POST /v1.0-alpha1/publish/bulk/{pubsub}/{topic}</c>.
/// </summary>
internal static class PubSubApi
{
    public static void MapPubSubApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1.0/publish/{pubsubName}/{**topic}", PublishAsync);
        routes.MapPost("/v1.0-alpha1/publish/bulk/{pubsubName}/{**topic}", BulkPublishAsync);
    }

    private static async Task PublishAsync(HttpContext context, string pubsubName, string? topic, AppRegistry apps, ComponentRegistry components, TimeProvider time)
    {
        var caller = apps.CallerOf(context);
        var pubsub = Resolve(components, pubsubName, topic, caller.AppId);
        var metadata = RequestBody.QueryMetadata(context);
        var payload = await RequestBody.ReadBytesAsync(context);
        var message = BuildMessage(caller.AppId, pubsubName, topic!, payload, context.Request.ContentType, metadata, time);
        await PublishOrFail(pubsub, message, topic!, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// Body <c>[{entryId, event, contentType, metadata?}]</c>; 204 when all were published, else 500
    /// <c>{"failedEntries":[{"entryId","error"}],"errorCode":"ERR_PUBSUB_PUBLISH_MESSAGE"}</c>.
    /// </summary>
    private static async Task BulkPublishAsync(HttpContext context, string pubsubName, string? topic, AppRegistry apps, ComponentRegistry components, TimeProvider time)
    {
        var caller = apps.CallerOf(context);
        var pubsub = Resolve(components, pubsubName, topic, caller.AppId);
        var requestMetadata = RequestBody.QueryMetadata(context);
        using var body = await RequestBody.ReadJsonAsync(context, "bulk publish");
        if (body.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw DaprErrors.Malformed("bulk publish: the body must be a JSON array of {entryId, event, contentType} objects");
        }
        var messages = new List<(string EntryId, PubSubMessage Message)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in body.RootElement.EnumerateArray())
        {
            var entryId = RequestBody.RequiredString(entry, "entryId", "bulk publish");
            if (!seen.Add(entryId))
            {
                throw DaprErrors.Malformed($"bulk publish: entryId '{entryId}' is used twice");
            }
            var contentType = RequestBody.RequiredString(entry, "contentType", "bulk publish");
            if (!RequestBody.TryGetProperty(entry, "event", out var evt))
            {
                throw DaprErrors.Malformed($"bulk publish: entry {entryId} has no 'event'");
            }
            var payload = evt.ValueKind == JsonValueKind.String && !CloudEvents.IsJson(CloudEvents.MediaType(contentType))
                ? Encoding.UTF8.GetBytes(evt.GetString()!)
                : Encoding.UTF8.GetBytes(evt.GetRawText());
            var metadata = new Dictionary<string, string>(requestMetadata, StringComparer.Ordinal);
            foreach (var (k, v) in RequestBody.StringMap(entry, "metadata", "bulk publish"))
            {
                metadata[k] = v;
            }
            messages.Add((entryId, BuildMessage(caller.AppId, pubsubName, topic!, payload, contentType, metadata, time)));
        }
        var failed = new List<(string EntryId, string Error)>();
        foreach (var (entryId, message) in messages)
        {
            try
            {
                await pubsub.PublishAsync(message, context.RequestAborted);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                failed.Add((entryId, error.Message));
            }
        }
        if (failed.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteStartArray("failedEntries");
        foreach (var (entryId, error) in failed)
        {
            json.WriteStartObject();
            json.WriteString("entryId", entryId);
            json.WriteString("error", error);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("errorCode", "ERR_PUBSUB_PUBLISH_MESSAGE");
        json.WriteEndObject();
    }

    private static IPubSub Resolve(ComponentRegistry components, string pubsubName, string? topic, string appId)
    {
        var pubsub = components.GetPubSub(pubsubName, appId);
        return string.IsNullOrEmpty(topic) ? throw DaprErrors.TopicEmpty(pubsubName) : pubsub;
    }

    internal static PubSubMessage BuildMessage(string appId, string pubsubName, string topic, byte[] payload, string? contentType,
        IReadOnlyDictionary<string, string> metadata, TimeProvider time)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? expiresAt = null;
        if (metadata.TryGetValue("ttlInSeconds", out var ttlText))
        {
            if (!int.TryParse(ttlText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
            {
                throw DaprErrors.Malformed($"metadata ttlInSeconds '{ttlText}' is not a positive whole number of seconds");
            }
            expiresAt = now.AddSeconds(seconds);
        }
        var raw = metadata.TryGetValue("rawPayload", out var rawText) && bool.TryParse(rawText, out var rawFlag) && rawFlag;
        if (raw)
        {
            return new PubSubMessage(topic, payload, contentType ?? "application/octet-stream", true, expiresAt)
            {
                TraceParent = Activity.Current?.Id,
                TraceState = Activity.Current?.TraceStateString,
            };
        }
        var activity = Activity.Current;
        var envelope = CloudEvents.Wrap(payload, contentType, new EnvelopeContext(
            appId, pubsubName, topic, now, activity?.Id, activity?.TraceStateString, expiresAt));
        return new PubSubMessage(topic, envelope, CloudEvents.ContentType, false, expiresAt)
        {
            TraceParent = activity?.Id,
            TraceState = activity?.TraceStateString,
        };
    }

    private static async Task PublishOrFail(IPubSub pubsub, PubSubMessage message, string topic, CancellationToken cancellationToken)
    {
        try
        {
            await pubsub.PublishAsync(message, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException and not DaprApiException)
        {
            throw new DaprApiException(500, "ERR_PUBSUB_PUBLISH_MESSAGE", $"error when publish to topic {topic} in pubsub {pubsub.Name}: {error.Message}", error);
        }
    }
}
