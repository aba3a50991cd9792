using System.Text.Json;
using Dapr.Client.Autogen.Grpc.v1;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// The HTTP transport of the metadata API (https://docs.dapr.io/reference/api/metadata_api/):
/// <c>GET /v1.0/metadata</c> writes <see cref="MetadataService.Describe"/> in the JSON shape daprd's HTTP
/// API gives it (dapr/dapr pkg/api/http/metadata.go: empty lists and strings left out, subscription rules
/// as a flat list, enums by name); <c>PUT /v1.0/metadata/{key}</c> sets an extended attribute from the body text.
/// </summary>
internal static class MetadataApi
{
    public static void MapMetadataApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1.0/metadata", GetAsync);
        routes.MapPut("/v1.0/metadata/{key}", async (HttpContext context, string key, AppRegistry apps, MetadataService metadata) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            metadata.SetExtended(apps.CallerOf(context), key, await reader.ReadToEndAsync(context.RequestAborted));
            return Results.NoContent();
        });
    }

    private static async Task GetAsync(HttpContext context, AppRegistry apps, MetadataService service)
    {
        var metadata = service.Describe(apps.CallerOf(context));
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        WriteIfAny(json, "id", metadata.Id);
        WriteIfAny(json, "runtimeVersion", metadata.RuntimeVersion);
        WriteArray(json, "enabledFeatures", metadata.EnabledFeatures, (j, f) => j.WriteStringValue(f));
        WriteArray(json, "actors", metadata.ActorRuntime?.ActiveActors ?? [], WriteCount);
        WriteArray(json, "components", metadata.RegisteredComponents, WriteComponent);
        if (metadata.ExtendedMetadata.Count > 0)
        {
            json.WriteStartObject("extended");
            foreach (var (key, value) in metadata.ExtendedMetadata)
            {
                json.WriteString(key, value);
            }
            json.WriteEndObject();
        }
        WriteArray(json, "subscriptions", metadata.Subscriptions, WriteSubscription);
        WriteConnection(json, metadata.AppConnectionProperties);
        if (metadata.ActorRuntime is { } runtime)
        {
            json.WriteStartObject("actorRuntime");
            json.WriteString("runtimeStatus", runtime.RuntimeStatus.ToString().ToUpperInvariant());
            WriteArray(json, "activeActors", runtime.ActiveActors, WriteCount);
            json.WriteBoolean("hostReady", runtime.HostReady);
            WriteIfAny(json, "placement", runtime.Placement);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static void WriteSubscription(Utf8JsonWriter json, PubsubSubscription subscription)
    {
        json.WriteStartObject();
        json.WriteString("pubsubname", subscription.PubsubName);
        json.WriteString("topic", subscription.Topic);
        if (subscription.Metadata.Count > 0)
        {
            json.WriteStartObject("metadata");
            foreach (var (key, value) in subscription.Metadata)
            {
                json.WriteString(key, value);
            }
            json.WriteEndObject();
        }
        WriteArray(json, "rules", subscription.Rules?.Rules ?? [], (j, rule) =>
        {
            j.WriteStartObject();
            WriteIfAny(j, "match", rule.Match);
            WriteIfAny(j, "path", rule.Path);
            j.WriteEndObject();
        });
        json.WriteString("deadLetterTopic", subscription.DeadLetterTopic);
        json.WriteString("type", subscription.Type.ToString().ToUpperInvariant());
        json.WriteEndObject();
    }

    private static void WriteConnection(Utf8JsonWriter json, AppConnectionProperties? connection)
    {
        if (connection is null)
        {
            return;
        }
        json.WriteStartObject("appConnectionProperties");
        if (connection.Port != 0)
        {
            json.WriteNumber("port", connection.Port);
        }
        WriteIfAny(json, "protocol", connection.Protocol);
        WriteIfAny(json, "channelAddress", connection.ChannelAddress);
        if (connection.Health is { } health)
        {
            json.WriteStartObject("health");
            WriteIfAny(json, "healthCheckPath", health.HealthCheckPath);
            WriteIfAny(json, "healthProbeInterval", health.HealthProbeInterval);
            WriteIfAny(json, "healthProbeTimeout", health.HealthProbeTimeout);
            if (health.HealthThreshold != 0)
            {
                json.WriteNumber("healthThreshold", health.HealthThreshold);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteComponent(Utf8JsonWriter json, RegisteredComponents component)
    {
        json.WriteStartObject();
        json.WriteString("name", component.Name);
        json.WriteString("type", component.Type);
        json.WriteString("version", component.Version);
        json.WriteStartArray("capabilities");
        foreach (var capability in component.Capabilities)
        {
            json.WriteStringValue(capability);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCount(Utf8JsonWriter json, ActiveActorsCount count)
    {
        json.WriteStartObject();
        json.WriteString("type", count.Type);
        json.WriteNumber("count", count.Count);
        json.WriteEndObject();
    }

    private static void WriteArray<T>(Utf8JsonWriter json, string name, IReadOnlyCollection<T> items, Action<Utf8JsonWriter, T> write)
    {
        if (items.Count == 0)
        {
            return;
        }
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            write(json, item);
        }
        json.WriteEndArray();
    }

    private static void WriteIfAny(Utf8JsonWriter json, string name, string value)
    {
        if (value.Length > 0)
        {
            json.WriteString(name, value);
        }
    }
}
