namespace Quoncept.Sidecar.PubSub;

/// <summary>One <c>routes.rules[]</c> entry: deliver to <see cref="Path"/> when <see cref="Match"/> holds.</summary>
internal sealed record SubscriptionRule(string MatchText, RuleExpression Match, string Path);
