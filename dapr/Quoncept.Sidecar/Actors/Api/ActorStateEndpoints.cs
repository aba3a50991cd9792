using System.Globalization;
using System.Text;
using System.Text.Json;
using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Api;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Actors.Api;

/// <summary>
/// Actor state (https://docs.dapr.io/reference/api/actors_api/#get-actor-state): only the app the actor
/// is placed on may read or write it (else 400 <c>ERR_ACTOR_INSTANCE_MISSING</c>, as daprd). Keys are
/// <c>{appId}||{actorType}||{actorId}||{key}</c> in the state store marked <c>actorStateStore: "true"</c>.
/// </summary>
internal static class ActorStateEndpoints
{
    private static readonly byte[] JsonNull = "null"u8.ToArray();

    /// <summary><c>GET /v1.0/actors/{type}/{id}/state/{key}</c>: 200 with the saved JSON, 204 when absent.</summary>
    public static async Task GetAsync(HttpContext context, string actorType, string actorId, string key,
        AppRegistry apps, ActorHosts hosts, ComponentRegistry components)
    {
        var caller = CallerHosting(context, new ActorKey(actorType, actorId), apps, hosts);
        var store = components.GetActorStateStore(caller.AppId);
        StateEntry? entry;
        try
        {
            entry = await store.GetAsync(StateKeys.ForActor(caller.AppId, actorType, actorId, key), context.RequestAborted);
        }
        catch (Exception error) when (error is not DaprApiException and not OperationCanceledException)
        {
            throw ActorErrors.StateGet(error.Message, error);
        }
        if (entry is null)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = entry.Value.Length;
        await context.Response.Body.WriteAsync(entry.Value, context.RequestAborted);
    }

    /// <summary><c>DELETE /v1.0/actors/{type}/{id}/state/{key}</c>: 204.</summary>
    public static async Task DeleteAsync(HttpContext context, string actorType, string actorId, string key,
        AppRegistry apps, ActorHosts hosts, ComponentRegistry components)
    {
        var caller = CallerHosting(context, new ActorKey(actorType, actorId), apps, hosts);
        var store = components.GetActorStateStore(caller.AppId);
        await Save(() => store.ApplyAsync(StateOperation.Delete(StateKeys.ForActor(caller.AppId, actorType, actorId, key)), context.RequestAborted).AsTask());
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// <c>POST|PUT /v1.0/actors/{type}/{id}/state</c> (https://docs.dapr.io/reference/api/actors_api/#actor-state-transactions):
    /// <c>[{"operation":"upsert"|"delete","request":{"key":string,"value":any,"metadata":{"ttlInSeconds":n}}}]</c>,
    /// applied all or nothing; 204.
    /// </summary>
    public static async Task TransactAsync(HttpContext context, string actorType, string actorId,
        AppRegistry apps, ActorHosts hosts, ComponentRegistry components)
    {
        var body = await Sidecar.Api.RequestBody.ReadBytesAsync(context);
        var caller = CallerHosting(context, new ActorKey(actorType, actorId), apps, hosts);
        var operations = ParseTransaction(body, key => StateKeys.ForActor(caller.AppId, actorType, actorId, key));
        var store = components.GetActorStateStore(caller.AppId);
        if (operations.Count > 0)
        {
            await Save(() => store.TransactAsync(operations, context.RequestAborted).AsTask());
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    internal static List<StateOperation> ParseTransaction(byte[] body, Func<string, string> storeKey)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException error)
        {
            throw ActorErrors.Malformed(body.Length == 0 ? "the body is empty; send a JSON array of operations" : error.Message, error);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw ActorErrors.Malformed("expected a JSON array of {\"operation\",\"request\"} objects");
            }
            var operations = new List<StateOperation>();
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                operations.Add(ParseOperation(item, index++, storeKey));
            }
            return operations;
        }
    }

    private static StateOperation ParseOperation(JsonElement item, int index, Func<string, string> storeKey)
    {
        if (item.ValueKind != JsonValueKind.Object
            || !JsonFields.TryGet(item, "operation", out var operation) || operation.ValueKind != JsonValueKind.String
            || !JsonFields.TryGet(item, "request", out var request) || request.ValueKind != JsonValueKind.Object)
        {
            throw ActorErrors.Malformed($"operation {index} must be {{\"operation\":\"upsert\"|\"delete\",\"request\":{{\"key\":...}}}}");
        }
        if (!JsonFields.TryGet(request, "key", out var keyElement) || keyElement.ValueKind != JsonValueKind.String || keyElement.GetString() is not { Length: > 0 } key)
        {
            throw ActorErrors.Malformed($"operation {index} has no request.key (a non-empty string)");
        }
        switch (operation.GetString())
        {
            case "upsert":
                var value = JsonFields.TryGet(request, "value", out var v) ? Sidecar.Api.RequestBody.RawJson(v) : JsonNull;
                return StateOperation.Upsert(storeKey(key), value, ttl: Ttl(request, index));
            case "delete":
                return StateOperation.Delete(storeKey(key));
            default:
                throw ActorErrors.Malformed($"operation {index}: '{operation.GetString()}' is not supported; use upsert or delete");
        }
    }

    private static TimeSpan? Ttl(JsonElement request, int index)
    {
        if (!JsonFields.TryGet(request, "metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
            || !JsonFields.TryGet(metadata, "ttlInSeconds", out var ttl) || ttl.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var text = ttl.ValueKind == JsonValueKind.String ? ttl.GetString() : ttl.GetRawText();
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds) || seconds < -1 || seconds == 0)
        {
            throw ActorErrors.Malformed($"operation {index}: metadata.ttlInSeconds must be a positive whole number of seconds (or -1 for none), got {ttl.GetRawText()}");
        }
        return seconds == -1 ? null : TimeSpan.FromSeconds(seconds);
    }

    private static AppInstance CallerHosting(HttpContext context, ActorKey actor, AppRegistry apps, ActorHosts hosts)
    {
        var caller = apps.CallerOf(context);
        if (hosts.Locate(actor.Type, actor.Id)?.Instance != caller)
        {
            throw ActorErrors.InstanceMissing(actor);
        }
        return caller;
    }

    private static async Task Save(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception error) when (error is not DaprApiException and not OperationCanceledException)
        {
            throw ActorErrors.StateTransaction(error.Message, error);
        }
    }
}
