using System.Text;
using System.Text.Json;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.PubSub;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// The HTTP transport of publishing (https://docs.dapr.io/reference/api/pubsub_api/):
/// <c>POST /v1.0/publish/{pubsub}/{topic}</c> with any payload, and bulk publish
/// <c>POST /v1.0-alpha1/publish/bulk/{pubsub}/{topic}</c>; <see cref="PublishService"/> does the work.
/// </summary>
internal static class PubSubApi
{
    public static void MapPubSubApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1.0/publish/{pubsubName}/{**topic}", PublishAsync);
        routes.MapPost("/v1.0-alpha1/publish/bulk/{pubsubName}/{**topic}", BulkPublishAsync);
    }

    private static async Task PublishAsync(HttpContext context, string pubsubName, string? topic, AppRegistry apps, PublishService publisher)
    {
        var caller = apps.CallerOf(context);
        publisher.Resolve(caller, pubsubName, topic);
        var payload = await RequestBody.ReadBytesAsync(context);
        await publisher.PublishAsync(caller, pubsubName, topic, payload, context.Request.ContentType, RequestBody.QueryMetadata(context), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// Body <c>[{entryId, event, contentType, metadata?}]</c>; 204 when all were published, else 500
    /// <c>{"failedEntries":[{"entryId","error"}],"errorCode":"ERR_PUBSUB_PUBLISH_MESSAGE"}</c>.
    /// </summary>
    private static async Task BulkPublishAsync(HttpContext context, string pubsubName, string? topic, AppRegistry apps, PublishService publisher)
    {
        var caller = apps.CallerOf(context);
        publisher.Resolve(caller, pubsubName, topic);
        using var body = await RequestBody.ReadJsonAsync(context, "bulk publish");
        if (body.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw DaprErrors.Malformed("bulk publish: the body must be a JSON array of {entryId, event, contentType} objects");
        }
        var entries = body.RootElement.EnumerateArray().Select(ReadEntry).ToList();
        var failed = await publisher.BulkPublishAsync(caller, pubsubName, topic, entries, RequestBody.QueryMetadata(context), context.RequestAborted);
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

    /// <summary>
    /// An entry's event as bytes, the way daprd's HTTP API converts it: a JSON string stays text unless the
    /// content type is JSON, any other JSON value is its JSON text.
    /// </summary>
    private static BulkPublishItem ReadEntry(JsonElement entry)
    {
        var contentType = RequestBody.RequiredString(entry, "contentType", "bulk publish");
        var entryId = RequestBody.OptionalString(entry, "entryId", "bulk publish") ?? "";
        if (!JsonFields.TryGet(entry, "event", out var evt))
        {
            throw DaprErrors.Malformed($"bulk publish: entry '{entryId}' has no 'event'");
        }
        var payload = evt.ValueKind == JsonValueKind.String && !CloudEvents.IsJson(CloudEvents.MediaType(contentType))
            ? Encoding.UTF8.GetBytes(evt.GetString()!)
            : RequestBody.RawJson(evt);
        return new BulkPublishItem(entryId, payload, contentType, RequestBody.StringMap(entry, "metadata", "bulk publish"));
    }
}
