using System.Text.Json;

namespace Quoncept.Dapr.Actors.Client;

/// <summary>Proxies that call actors through an <see cref="IActorInvoker"/>: the sidecar by default.</summary>
public sealed class ActorProxyFactory : IActorProxyFactory
{
    private readonly Lazy<IActorInvoker> _invoker;
    private readonly ActorProxyOptions _defaults;

    /// <summary>Proxies through the sidecar named by <paramref name="defaults"/> (or the environment).</summary>
    public ActorProxyFactory(ActorProxyOptions? defaults = null)
    {
        _defaults = defaults ?? new ActorProxyOptions();
        var builder = new DaprClientBuilder().UseJsonSerializationOptions(_defaults.JsonSerializerOptions).UseDaprApiToken(_defaults.DaprApiToken);
        if (_defaults.HttpEndpoint is not null)
        {
            builder.UseHttpEndpoint(_defaults.HttpEndpoint);
        }

        _invoker = new Lazy<IActorInvoker>(() => new DaprHttpActorInvoker(builder.BuildSidecar()));
    }

    internal ActorProxyFactory(IActorInvoker invoker, JsonSerializerOptions jsonOptions)
    {
        _defaults = new ActorProxyOptions { JsonSerializerOptions = jsonOptions };
        _invoker = new Lazy<IActorInvoker>(invoker);
    }

    public TActorInterface CreateActorProxy<TActorInterface>(ActorId actorId, string actorType, ActorProxyOptions? options = null)
        where TActorInterface : IActor
    {
        ArgumentNullException.ThrowIfNull(actorId);
        ArgumentException.ThrowIfNullOrEmpty(actorType);
        var proxy = ActorProxy.CreateTyped<TActorInterface>();
        ((ActorProxy)(object)proxy).Initialize(actorId, actorType, _invoker.Value, options ?? _defaults);
        return proxy;
    }

    public ActorProxy Create(ActorId actorId, string actorType, ActorProxyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        ArgumentException.ThrowIfNullOrEmpty(actorType);
        var proxy = new ActorProxy();
        proxy.Initialize(actorId, actorType, _invoker.Value, options ?? _defaults);
        return proxy;
    }
}
