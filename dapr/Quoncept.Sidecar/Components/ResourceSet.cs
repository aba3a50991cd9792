using Quoncept.Sidecar.PubSub;

namespace Quoncept.Sidecar.Components;

/// <summary>What the resources folders hold: components and declarative subscriptions.</summary>
internal sealed record ResourceSet(IReadOnlyList<ComponentDefinition> Components, IReadOnlyList<SubscriptionSpec> Subscriptions);
