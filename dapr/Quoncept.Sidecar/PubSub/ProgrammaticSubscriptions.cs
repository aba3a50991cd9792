using System.Text.Json;
using Quoncept.Sidecar.Api;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// Parses an app's <c>GET /dapr/subscribe</c> answer
/// (https://docs.dapr.io/reference/api/pubsub_api/#provide-a-route-for-dapr-to-discover-topic-subscriptions):
/// <code>[{pubsubname, topic, route? | routes?{rules?[{match, path}], default?}, metadata?{}, deadLetterTopic?, bulkSubscribe?}]</code>
/// Field names match case-insensitively, as daprd's Go decoder reads them (Dapr.AspNetCore writes
/// <c>pubsubName</c>). A bad entry is reported in <c>Rejected</c> with its reason and does not stop the others.
/// </summary>
internal static class ProgrammaticSubscriptions
{
    public static (List<SubscriptionSpec> Accepted, List<string> Rejected) Parse(ReadOnlySpan<byte> json, string appId)
    {
        var accepted = new List<SubscriptionSpec>();
        var rejected = new List<string>();
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException error)
        {
            rejected.Add($"GET /dapr/subscribe did not return JSON: {error.Message}");
            return (accepted, rejected);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                rejected.Add("GET /dapr/subscribe must return a JSON array of subscriptions");
                return (accepted, rejected);
            }
            var index = 0;
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                try
                {
                    accepted.Add(ParseEntry(entry, appId, index));
                }
                catch (FormatException error)
                {
                    rejected.Add($"subscription #{index}: {error.Message}");
                }
                index++;
            }
        }
        return (accepted, rejected);
    }

    private static SubscriptionSpec ParseEntry(JsonElement entry, string appId, int index)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("must be an object");
        }
        var pubsub = String(entry, "pubsubname") ?? throw new FormatException("'pubsubname' is required");
        var topic = String(entry, "topic") ?? throw new FormatException("'topic' is required");
        var defaultPath = String(entry, "route");
        var rules = new List<(string, string)>();
        if (JsonFields.Get(entry, "routes") is { ValueKind: JsonValueKind.Object } routes)
        {
            defaultPath = String(routes, "default") ?? defaultPath;
            if (JsonFields.Get(routes, "rules") is { ValueKind: JsonValueKind.Array } list)
            {
                foreach (var rule in list.EnumerateArray())
                {
                    rules.Add((String(rule, "match") ?? throw new FormatException($"topic {topic}: a rule has no 'match'"), String(rule, "path") ?? ""));
                }
            }
        }
        if (defaultPath is null && rules.Count == 0)
        {
            throw new FormatException($"topic {topic}: give 'route' or 'routes'");
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonFields.Get(entry, "metadata") is { ValueKind: JsonValueKind.Object } meta)
        {
            foreach (var item in meta.EnumerateObject())
            {
                metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()! : item.Value.GetRawText();
            }
        }
        return new SubscriptionSpec(pubsub, topic, SubscriptionSpec.BuildRules(rules, topic), defaultPath,
            String(entry, "deadLetterTopic"), metadata, [], $"{appId} GET /dapr/subscribe #{index}")
        {
            Bulk = ParseBulk(entry),
        };
    }

    /// <summary><c>bulkSubscribe: {enabled, maxMessagesCount?, maxAwaitDurationMs?}</c>.</summary>
    private static BulkSubscribeOptions? ParseBulk(JsonElement entry)
    {
        if (JsonFields.Get(entry, "bulkSubscribe") is not { ValueKind: JsonValueKind.Object } bulk
            || JsonFields.Get(bulk, "enabled").ValueKind != JsonValueKind.True)
        {
            return null;
        }
        return BulkSubscribeOptions.Create(Number(bulk, "maxMessagesCount"), Number(bulk, "maxAwaitDurationMs"));
    }

    private static int? Number(JsonElement element, string name) =>
        JsonFields.Get(element, name) is { ValueKind: not JsonValueKind.Undefined } value
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
                ? number
                : throw new FormatException($"bulkSubscribe.{name} must be a whole number")
            : null;

    private static string? String(JsonElement element, string name) =>
        JsonFields.TryGet(element, name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
                JsonValueKind.Null => null,
                _ => throw new FormatException($"'{name}' must be a string"),
            }
            : null;
}
