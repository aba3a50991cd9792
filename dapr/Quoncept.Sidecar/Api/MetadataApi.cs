using System.Collections.Concurrent;
using System.Text.Json;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.PubSub;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// Metadata (https://docs.dapr.io/reference/api/metadata_api/): <c>GET /v1.0/metadata</c> describes the
/// calling app's sidecar (id, components with capabilities, subscriptions, app connection, extended
/// attributes); <c>PUT /v1.0/metadata/{key}</c> sets an extended attribute from the body text.
/// </summary>
internal static class MetadataApi
{
    private static readonly ConcurrentDictionary<(string Instance, string Key), string> Extended = new();

    public static void MapMetadataApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1.0/metadata", GetAsync);
        routes.MapPut("/v1.0/metadata/{key}", async (HttpContext context, string key, AppRegistry apps) =>
        {
            var caller = apps.CallerOf(context);
            using var reader = new StreamReader(context.Request.Body);
            Extended[(caller.InstanceId, key)] = await reader.ReadToEndAsync(context.RequestAborted);
            return Results.NoContent();
        });
    }

    private static async Task GetAsync(HttpContext context, AppRegistry apps, ComponentRegistry components, SubscriptionManager subscriptions,
        IEnumerable<IMetadataContributor> contributors)
    {
        var caller = apps.CallerOf(context);
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("id", caller.AppId);
        json.WriteString("runtimeVersion", "quoncept-local");
        json.WriteStartArray("enabledFeatures");
        json.WriteEndArray();
        json.WriteStartArray("components");
        foreach (var store in components.StateStores.Where(s => s.Definition.IsVisibleTo(caller.AppId)))
        {
            WriteComponent(json, store.Definition, store.Instance.IsActorStateStore
                ? ["ETAG", "TRANSACTIONAL", "TTL", "ACTOR"]
                : ["ETAG", "TRANSACTIONAL", "TTL"]);
        }
        foreach (var pubsub in components.PubSubs.Where(p => p.Definition.IsVisibleTo(caller.AppId)))
        {
            WriteComponent(json, pubsub.Definition, ["BULK_PUBLISH", "TTL"]);
        }
        json.WriteEndArray();
        json.WriteStartArray("subscriptions");
        foreach (var spec in subscriptions.SubscriptionsOf(caller))
        {
            json.WriteStartObject();
            json.WriteString("pubsubname", spec.PubSubName);
            json.WriteString("topic", spec.Topic);
            json.WriteStartObject("metadata");
            foreach (var (k, v) in spec.Metadata)
            {
                json.WriteString(k, v);
            }
            json.WriteEndObject();
            json.WriteStartObject("rules");
            json.WriteStartArray("rules");
            foreach (var rule in spec.Rules)
            {
                json.WriteStartObject();
                json.WriteString("match", rule.MatchText);
                json.WriteString("path", rule.Path);
                json.WriteEndObject();
            }
            if (spec.DefaultPath is { } path)
            {
                json.WriteStartObject();
                json.WriteString("match", "");
                json.WriteString("path", path);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            if (spec.DeadLetterTopic is { } deadLetter)
            {
                json.WriteString("deadLetterTopic", deadLetter);
            }
            json.WriteString("type", spec.Origin.Contains("/dapr/subscribe", StringComparison.Ordinal) ? "PROGRAMMATIC" : "DECLARATIVE");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("httpEndpoints");
        json.WriteEndArray();
        json.WriteStartObject("extended");
        foreach (var ((instance, key), value) in Extended)
        {
            if (instance == caller.InstanceId)
            {
                json.WriteString(key, value);
            }
        }
        json.WriteEndObject();
        json.WriteStartObject("appConnectionProperties");
        if (caller.AppPort is { } port)
        {
            json.WriteNumber("port", port);
        }
        json.WriteString("protocol", "http");
        json.WriteString("channelAddress", "127.0.0.1");
        json.WriteStartObject("health");
        json.WriteString("healthProbeInterval", "1s");
        json.WriteString("status", caller.Health.ToString().ToUpperInvariant());
        json.WriteEndObject();
        json.WriteEndObject();
        foreach (var contributor in contributors)
        {
            contributor.WriteMetadata(json, caller);
        }
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static void WriteComponent(Utf8JsonWriter json, ComponentDefinition definition, string[] capabilities)
    {
        json.WriteStartObject();
        json.WriteString("name", definition.Name);
        json.WriteString("type", definition.Type);
        json.WriteString("version", definition.Version);
        json.WriteStartArray("capabilities");
        foreach (var capability in capabilities)
        {
            json.WriteStringValue(capability);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
