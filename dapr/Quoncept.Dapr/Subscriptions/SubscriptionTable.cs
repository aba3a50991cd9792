using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr;

/// <summary>
/// Builds the <c>GET /dapr/subscribe</c> answer from the endpoints' <see cref="TopicAttribute"/>s. One entry per
/// (pubsub, topic): a plain <c>"route"</c> when there is only a default route, else <c>"routes":{"rules","default"}</c>
/// (https://docs.dapr.io/developing-applications/building-blocks/pubsub/howto-route-messages/).
/// </summary>
internal static class SubscriptionTable
{
    public static List<SubscriptionWire> Build(IEnumerable<Endpoint> endpoints)
    {
        var byTopic = new Dictionary<(string Pubsub, string Topic), List<(TopicAttribute Topic, string Route, IBulkSubscribeMetadata? Bulk)>>();
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            var topics = endpoint.Metadata.GetOrderedMetadata<TopicAttribute>();
            if (topics.Count == 0)
            {
                continue;
            }

            if (endpoint.RoutePattern.Parameters.Count > 0)
            {
                throw new InvalidOperationException($"Endpoint '{endpoint.RoutePattern.RawText}' subscribes to a topic but its route has parameters; subscription routes must be fixed paths.");
            }

            var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var bulks = endpoint.Metadata.GetOrderedMetadata<IBulkSubscribeMetadata>();
            foreach (var bulk in bulks)
            {
                if (!topics.Any(t => t.Name == bulk.TopicName))
                {
                    throw new InvalidOperationException($"Endpoint '{route}' asks for bulk delivery of topic '{bulk.TopicName}' but does not subscribe to it; add WithTopic(pubsub, \"{bulk.TopicName}\") or [Topic].");
                }
            }

            foreach (var topic in topics)
            {
                var key = (topic.PubsubName, topic.Name);
                if (!byTopic.TryGetValue(key, out var list))
                {
                    byTopic[key] = list = [];
                }

                if (!list.Any(e => e.Route == route && e.Topic.Match == topic.Match))
                {
                    list.Add((topic, route, bulks.LastOrDefault(b => b.TopicName == topic.Name)));
                }
            }
        }

        return byTopic.OrderBy(kv => kv.Key.Pubsub, StringComparer.Ordinal).ThenBy(kv => kv.Key.Topic, StringComparer.Ordinal)
            .Select(kv => Entry(kv.Key.Pubsub, kv.Key.Topic, kv.Value))
            .ToList();
    }

    private static SubscriptionWire Entry(string pubsub, string topic, List<(TopicAttribute Topic, string Route, IBulkSubscribeMetadata? Bulk)> routes)
    {
        var defaults = routes.Where(r => string.IsNullOrEmpty(r.Topic.Match)).Select(r => r.Route).Distinct().ToList();
        if (defaults.Count > 1)
        {
            throw new InvalidOperationException($"Topic '{pubsub}/{topic}' has {defaults.Count} default routes ({string.Join(", ", defaults)}); give all but one a Match rule.");
        }

        var deadLetters = routes.Select(r => r.Topic.DeadLetterTopic).Where(d => !string.IsNullOrEmpty(d)).Distinct().ToList();
        if (deadLetters.Count > 1)
        {
            throw new InvalidOperationException($"Topic '{pubsub}/{topic}' declares several dead-letter topics ({string.Join(", ", deadLetters)}).");
        }

        var bulk = BulkOf(pubsub, topic, routes);
        var rawPayload = routes.Any(r => r.Topic.EnableRawPayload);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in routes.SelectMany(r => r.Topic.Metadata ?? []))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new InvalidOperationException($"Subscription metadata '{pair}' of '{pubsub}/{topic}' is not key=value.");
            }

            metadata[pair[..eq]] = pair[(eq + 1)..];
        }

        if (rawPayload)
        {
            metadata["rawPayload"] = "true";
        }

        var rules = routes.Where(r => !string.IsNullOrEmpty(r.Topic.Match))
            .OrderBy(r => r.Topic.Priority)
            .Select(r => new RouteRuleWire { Match = r.Topic.Match!, Path = r.Route })
            .ToList();
        return new SubscriptionWire
        {
            PubsubName = pubsub,
            Topic = topic,
            Route = rules.Count == 0 ? defaults.SingleOrDefault() : null,
            Routes = rules.Count == 0 ? null : new RoutesWire { Rules = rules, Default = defaults.SingleOrDefault() },
            Metadata = metadata.Count == 0 ? null : metadata,
            DeadLetterTopic = deadLetters.SingleOrDefault(),
            BulkSubscribe = bulk,
        };
    }

    // Bulk delivery is a property of the subscription, so every route of the topic receives batches: all of them must
    // be bulk handlers with one setting, or a single-event handler would be sent a batch.
    private static BulkSubscribeWire? BulkOf(string pubsub, string topic, List<(TopicAttribute Topic, string Route, IBulkSubscribeMetadata? Bulk)> routes)
    {
        var settings = routes.Select(r => r.Bulk is { } b ? (b.MaxMessagesCount, b.MaxAwaitDurationMs) : ((int, int)?)null).Distinct().ToList();
        if (settings is [null])
        {
            return null;
        }

        if (settings.Count > 1)
        {
            throw new InvalidOperationException($"Topic '{pubsub}/{topic}': bulk delivery applies to every route of a subscription; give all its routes ({string.Join(", ", routes.Select(r => r.Route).Distinct())}) the same WithBulkSubscribe settings, or none.");
        }

        var (count, wait) = settings[0]!.Value;
        return new BulkSubscribeWire { Enabled = true, MaxMessagesCount = count, MaxAwaitDurationMs = wait };
    }
}
