using System.Text.Json;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// The HTTP transport of the state API (https://docs.dapr.io/reference/api/state_api/): save, get, bulk
/// get, delete, transaction, each parsed from JSON and run by <see cref="StateService"/>.
/// </summary>
internal static class StateApi
{
    public static void MapStateApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1.0/state/{storeName}", SaveAsync);
        routes.MapGet("/v1.0/state/{storeName}/{key}", GetAsync);
        routes.MapPost("/v1.0/state/{storeName}/bulk", BulkGetAsync);
        routes.MapPut("/v1.0/state/{storeName}/bulk", BulkGetAsync);
        routes.MapDelete("/v1.0/state/{storeName}/{key}", DeleteAsync);
        routes.MapPost("/v1.0/state/{storeName}/transaction", TransactAsync);
        routes.MapPut("/v1.0/state/{storeName}/transaction", TransactAsync);
    }

    /// <summary><c>POST /v1.0/state/{store}</c> body <c>[{key, value, etag?, options?{concurrency, consistency}, metadata?}]</c> → 204.</summary>
    private static async Task SaveAsync(HttpContext context, string storeName, AppRegistry apps, StateService state)
    {
        var caller = apps.CallerOf(context);
        state.RequireStore(caller, storeName);
        var queryMetadata = RequestBody.QueryMetadata(context);
        using var body = await RequestBody.ReadJsonAsync(context, "save state");
        if (body.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw DaprErrors.Malformed("save state: the body must be a JSON array of {key, value} objects");
        }
        var operations = body.RootElement.EnumerateArray()
            .Select(item => StateRequests.ReadUpsert(item, queryMetadata, "save state"))
            .ToList();
        await state.SaveAsync(caller, storeName, operations, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary><c>GET /v1.0/state/{store}/{key}</c> → 200 with the value and an ETag header, or 204 when absent.</summary>
    private static async Task GetAsync(HttpContext context, string storeName, string key, AppRegistry apps, StateService state)
    {
        var entry = await state.GetAsync(apps.CallerOf(context), storeName, key, context.RequestAborted);
        if (entry is null)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        context.Response.Headers.ETag = entry.ETag;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(entry.Value, context.RequestAborted);
    }

    /// <summary><c>POST /v1.0/state/{store}/bulk</c> body <c>{keys: [..], parallelism?}</c> → <c>[{key, data?, etag?}]</c>.</summary>
    private static async Task BulkGetAsync(HttpContext context, string storeName, AppRegistry apps, StateService state)
    {
        var caller = apps.CallerOf(context);
        state.RequireStore(caller, storeName);
        using var body = await RequestBody.ReadJsonAsync(context, "bulk get state");
        if (!JsonFields.TryGet(body.RootElement, "keys", out var keysElement) || keysElement.ValueKind != JsonValueKind.Array)
        {
            throw DaprErrors.Malformed("bulk get state: the body must be {\"keys\": [\"k1\", ...]}");
        }
        var keys = keysElement.EnumerateArray().Select(k => k.ValueKind == JsonValueKind.String
            ? k.GetString()!
            : throw DaprErrors.Malformed("bulk get state: every key must be a string")).ToList();
        var entries = await state.GetBulkAsync(caller, storeName, keys, context.RequestAborted);
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartArray();
        for (var i = 0; i < keys.Count; i++)
        {
            json.WriteStartObject();
            json.WriteString("key", keys[i]);
            if (entries[i] is { } entry)
            {
                json.WritePropertyName("data");
                StateRequests.WriteValue(json, entry.Value);
                json.WriteString("etag", entry.ETag);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary><c>DELETE /v1.0/state/{store}/{key}</c>, optional <c>If-Match</c> etag and <c>?concurrency=</c> → 204.</summary>
    private static async Task DeleteAsync(HttpContext context, string storeName, string key, AppRegistry apps, StateService state)
    {
        // An HTTP-style quoted etag ("5") is accepted as well as daprd's bare one.
        var etag = context.Request.Headers.IfMatch.ToString().Trim('"');
        var concurrency = StateRequests.ParseConcurrency(context.Request.Query["concurrency"].ToString(), "delete state");
        var operation = StateOperation.Delete(key, etag.Length == 0 ? null : etag, concurrency);
        await state.DeleteAsync(apps.CallerOf(context), storeName, operation, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// <c>POST /v1.0/state/{store}/transaction</c> body
    /// <c>{operations: [{operation: "upsert"|"delete", request: {key, value?, etag?, options?}}], metadata?}</c> → 204, all or nothing.
    /// </summary>
    private static async Task TransactAsync(HttpContext context, string storeName, AppRegistry apps, StateService state)
    {
        var caller = apps.CallerOf(context);
        state.RequireStore(caller, storeName);
        using var body = await RequestBody.ReadJsonAsync(context, "state transaction");
        var root = body.RootElement;
        if (!JsonFields.TryGet(root, "operations", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw DaprErrors.Malformed("state transaction: the body must be {\"operations\": [{\"operation\": \"upsert\"|\"delete\", \"request\": {...}}]}");
        }
        var metadata = RequestBody.StringMap(root, "metadata", "state transaction");
        var operations = new List<StateOperation>();
        foreach (var item in list.EnumerateArray())
        {
            var kind = RequestBody.RequiredString(item, "operation", "state transaction");
            if (!JsonFields.TryGet(item, "request", out var request) || request.ValueKind != JsonValueKind.Object)
            {
                throw DaprErrors.Malformed("state transaction: every operation needs a 'request' object");
            }
            operations.Add(kind switch
            {
                "upsert" => StateRequests.ReadUpsert(request, metadata, "state transaction"),
                "delete" => StateOperation.Delete(
                    RequestBody.RequiredString(request, "key", "state transaction"),
                    RequestBody.OptionalString(request, "etag", "state transaction"),
                    StateRequests.ReadConcurrency(request, "state transaction")),
                _ => throw DaprErrors.UnsupportedStateOperation(kind),
            });
        }
        await state.TransactAsync(caller, storeName, operations, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
