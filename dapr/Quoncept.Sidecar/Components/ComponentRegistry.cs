using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.Metrics;
using Quoncept.Sidecar.PubSub;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Components;

/// <summary>
/// Every loaded component by name, with Dapr's scoping: an app sees a component only when the
/// component has no <c>scopes</c> or lists the app. Lookups that fail throw the Dapr error.
/// </summary>
internal sealed class ComponentRegistry : IAsyncDisposable
{
    private readonly Dictionary<string, LoadedComponent<IStateStore>> _stateStores;
    private readonly Dictionary<string, LoadedComponent<IPubSub>> _pubSubs;

    public ComponentRegistry(IEnumerable<LoadedComponent<IStateStore>> stateStores, IEnumerable<LoadedComponent<IPubSub>> pubSubs)
    {
        // Every store's operations are timed, whichever API or actor path uses them.
        _stateStores = stateStores.Select(c => c with { Instance = new MeteredStateStore(c.Instance, c.Definition.Type) })
            .ToDictionary(c => c.Definition.Name, StringComparer.Ordinal);
        _pubSubs = pubSubs.ToDictionary(c => c.Definition.Name, StringComparer.Ordinal);
        var actorStores = _stateStores.Values.Where(c => c.Instance.IsActorStateStore).ToList();
        if (actorStores.Count > 1)
        {
            throw new ComponentLoadException(actorStores[1].Definition.SourceFile,
                $"more than one state store has actorStateStore: \"true\" ({string.Join(", ", actorStores.Select(c => c.Definition.Name))}); exactly one may");
        }
    }

    public IReadOnlyCollection<LoadedComponent<IStateStore>> StateStores => _stateStores.Values;

    public IReadOnlyCollection<LoadedComponent<IPubSub>> PubSubs => _pubSubs.Values;

    /// <summary>All components, for the metadata API and start-up logs.</summary>
    public IEnumerable<ComponentDefinition> Definitions =>
        _stateStores.Values.Select(c => c.Definition).Concat(_pubSubs.Values.Select(c => c.Definition));

    public IStateStore GetStateStore(string name, string appId)
    {
        if (!_stateStores.Values.Any(c => c.Definition.IsVisibleTo(appId)))
        {
            throw DaprErrors.StateStoresNotConfigured(name);
        }
        if (_stateStores.TryGetValue(name, out var store) && store.Definition.IsVisibleTo(appId))
        {
            return store.Instance;
        }
        throw DaprErrors.StateStoreNotFound(name);
    }

    /// <summary>The state store marked <c>actorStateStore: "true"</c> visible to the app, or null.</summary>
    public IStateStore? FindActorStateStore(string appId) =>
        _stateStores.Values.FirstOrDefault(c => c.Instance.IsActorStateStore && c.Definition.IsVisibleTo(appId))?.Instance;

    /// <summary>The actor state store, or the Dapr error explaining that actors need one.</summary>
    public IStateStore GetActorStateStore(string appId) =>
        FindActorStateStore(appId) ?? throw DaprErrors.ActorStateStoreMissing();

    public IPubSub GetPubSub(string name, string appId)
    {
        if (_pubSubs.Count == 0)
        {
            throw DaprErrors.PubSubNotConfigured(name);
        }
        if (name.Length == 0)
        {
            throw DaprErrors.PubSubNameEmpty();
        }
        if (_pubSubs.TryGetValue(name, out var pubsub) && pubsub.Definition.IsVisibleTo(appId))
        {
            return pubsub.Instance;
        }
        throw DaprErrors.PubSubNotFound(name);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pubsub in _pubSubs.Values)
        {
            await pubsub.Instance.DisposeAsync();
        }
        foreach (var store in _stateStores.Values)
        {
            await store.Instance.DisposeAsync();
        }
    }
}
