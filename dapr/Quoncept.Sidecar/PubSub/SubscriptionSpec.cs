using System.Text.Json;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// A subscription of one app, programmatic (<c>GET /dapr/subscribe</c>) or declarative
/// (<c>kind: Subscription</c>): which topic, which app path for which event, where poison messages go.
/// </summary>
internal sealed record SubscriptionSpec(
    string PubSubName,
    string Topic,
    IReadOnlyList<SubscriptionRule> Rules,
    string? DefaultPath,
    string? DeadLetterTopic,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Scopes,
    string Origin)
{
    /// <summary>Set when the subscription asks for <c>bulkSubscribe.enabled: true</c>.</summary>
    public BulkSubscribeOptions? Bulk { get; init; }

    /// <summary>Subscription metadata <c>rawPayload: "true"</c>: deliver the published bytes as they are.</summary>
    public bool RawPayload => Metadata.TryGetValue("rawPayload", out var raw) && bool.TryParse(raw, out var flag) && flag;

    /// <summary>The app path for this event: the first rule that matches, else the default, else null (dropped).</summary>
    public string? RouteFor(JsonElement cloudEvent)
    {
        foreach (var rule in Rules)
        {
            if (rule.Match.Matches(cloudEvent))
            {
                return rule.Path;
            }
        }
        return DefaultPath;
    }

    /// <summary>Builds the rules, rejecting an expression outside the supported grammar with a message naming it.</summary>
    public static IReadOnlyList<SubscriptionRule> BuildRules(IEnumerable<(string Match, string Path)> rules, string topic)
    {
        var result = new List<SubscriptionRule>();
        foreach (var (match, path) in rules)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new FormatException($"topic {topic}: rule '{match}' has no path");
            }
            try
            {
                result.Add(new SubscriptionRule(match, RuleExpressionParser.Parse(match), path));
            }
            catch (FormatException error)
            {
                throw new FormatException($"topic {topic}: rule match '{match}' is not supported: {error.Message}", error);
            }
        }
        return result;
    }
}
