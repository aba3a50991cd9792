using System.Collections.Concurrent;
using System.Globalization;
using Dapr.Client.Autogen.Grpc.v1;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.PubSub;
using Quoncept.Sidecar.Runner;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// The sidecar metadata (https://docs.dapr.io/reference/api/metadata_api/) of the calling instance, built
/// once as daprd builds it, as the gRPC <see cref="GetMetadataResponse"/>; the HTTP API renders the same
/// message as JSON. Extended attributes are kept per instance for the life of the runtime.
/// </summary>
internal sealed class MetadataService(
    ComponentRegistry components,
    SubscriptionManager subscriptions,
    SidecarSetup setup,
    IEnumerable<IMetadataContributor> contributors)
{
    public const string RuntimeVersion = "quoncept-local";

    private readonly ConcurrentDictionary<(string Instance, string Key), string> _extended = new();

    /// <summary>Sets an extended attribute; an empty key is ignored, as daprd ignores it.</summary>
    public void SetExtended(AppInstance caller, string key, string value)
    {
        if (key.Length > 0)
        {
            _extended[(caller.InstanceId, key)] = value;
        }
    }

    public GetMetadataResponse Describe(AppInstance caller)
    {
        var metadata = new GetMetadataResponse { Id = caller.AppId, RuntimeVersion = RuntimeVersion };
        foreach (var store in components.StateStores.Where(s => s.Definition.IsVisibleTo(caller.AppId)))
        {
            metadata.RegisteredComponents.Add(Component(store.Definition, store.Instance.IsActorStateStore
                ? ["ETAG", "TRANSACTIONAL", "TTL", "ACTOR"]
                : ["ETAG", "TRANSACTIONAL", "TTL"]));
        }
        foreach (var pubsub in components.PubSubs.Where(p => p.Definition.IsVisibleTo(caller.AppId)))
        {
            metadata.RegisteredComponents.Add(Component(pubsub.Definition, ["BULK_PUBLISH", "TTL"]));
        }
        foreach (var spec in subscriptions.SubscriptionsOf(caller))
        {
            metadata.Subscriptions.Add(Subscription(spec));
        }
        metadata.ExtendedMetadata["daprRuntimeVersion"] = RuntimeVersion;
        foreach (var ((instance, key), value) in _extended)
        {
            if (instance == caller.InstanceId)
            {
                metadata.ExtendedMetadata[key] = value;
            }
        }
        metadata.AppConnectionProperties = Connection(caller);
        foreach (var contributor in contributors)
        {
            contributor.Contribute(metadata, caller);
        }
        return metadata;
    }

    private AppConnectionProperties Connection(AppInstance caller)
    {
        var connection = new AppConnectionProperties
        {
            Port = caller.AppPort ?? 0,
            Protocol = "http",
            ChannelAddress = "127.0.0.1",
            Health = new AppConnectionHealthProperties
            {
                HealthProbeInterval = GoDuration(setup.HealthProbeInterval),
                HealthProbeTimeout = GoDuration(AppMonitor.ProbeTimeout),
                HealthThreshold = AppMonitor.FailuresBeforeUnhealthy,
            },
        };
        if (setup.HealthCheckPaths.TryGetValue(caller.InstanceId, out var path))
        {
            connection.Health.HealthCheckPath = "/" + path;
        }
        return connection;
    }

    private static RegisteredComponents Component(ComponentDefinition definition, string[] capabilities)
    {
        var component = new RegisteredComponents { Name = definition.Name, Type = definition.Type, Version = definition.Version };
        component.Capabilities.AddRange(capabilities);
        return component;
    }

    private static PubsubSubscription Subscription(SubscriptionSpec spec)
    {
        var subscription = new PubsubSubscription
        {
            PubsubName = spec.PubSubName,
            Topic = spec.Topic,
            DeadLetterTopic = spec.DeadLetterTopic ?? "",
            Type = spec.Origin.Contains("/dapr/subscribe", StringComparison.Ordinal) ? PubsubSubscriptionType.Programmatic : PubsubSubscriptionType.Declarative,
            Rules = new PubsubSubscriptionRules(),
        };
        foreach (var (key, value) in spec.Metadata)
        {
            subscription.Metadata[key] = value;
        }
        subscription.Rules.Rules.AddRange(spec.Rules.Select(r => new PubsubSubscriptionRule { Match = r.MatchText, Path = r.Path }));
        if (spec.DefaultPath is { } path)
        {
            // daprd lists the default route as the last rule, with no match.
            subscription.Rules.Rules.Add(new PubsubSubscriptionRule { Path = path });
        }
        return subscription;
    }

    /// <summary>A duration as Go's <c>time.Duration.String()</c> writes the ones used here: <c>1s</c>, <c>100ms</c>.</summary>
    private static string GoDuration(TimeSpan value) =>
        value.TotalMilliseconds % 1000 == 0
            ? ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
            : ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
}
