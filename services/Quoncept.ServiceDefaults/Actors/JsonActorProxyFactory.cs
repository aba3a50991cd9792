using Dapr;
using Dapr.Actors;
using Dapr.Actors.Client;
using Quoncept.Contracts;

namespace Quoncept.ServiceDefaults.Actors;

/// <summary>
/// Typed actor proxies (<see cref="CreateActorProxy{TActorInterface}"/>, what callers and
/// <c>Actor.ProxyFactory</c> use) whose calls go through the SDK's JSON proxy
/// (<see cref="ActorProxy.InvokeMethodAsync{TRequest,TResponse}(string,TRequest,CancellationToken)"/>:
/// <c>PUT /v1.0/actors/{type}/{id}/method/{method}</c>, served by the host's non-remoting dispatch)
/// with <see cref="WireJson.Options"/>.
/// Why not the SDK's remoting proxies: each one builds its own serializers, and each serializer its
/// own copy of the JSON options, so every new proxy pays for System.Text.Json's type metadata again
/// (a proxy per call, as the gateway and the actors make them, paid it on every call); a cache of
/// proxies would keep those copies per actor id. The JSON proxy shares one set of options.
/// Registered before <c>AddActors</c>, so the SDK's runtime gives actors this factory too.
/// </summary>
public sealed class JsonActorProxyFactory(ActorProxyOptions options) : IActorProxyFactory
{
    private readonly ActorProxyFactory _sdk = new(options);

    public JsonActorProxyFactory()
        : this(new ActorProxyOptions { JsonSerializerOptions = WireJson.Options })
    {
    }

    public TActorInterface CreateActorProxy<TActorInterface>(ActorId actorId, string actorType, ActorProxyOptions? options = null)
        where TActorInterface : IActor =>
        TypedJsonActorProxy.Create<TActorInterface>(_sdk.Create(actorId, actorType, options));

    public object CreateActorProxy(ActorId actorId, Type actorInterfaceType, string actorType, ActorProxyOptions? options = null) =>
        typeof(TypedJsonActorProxy).GetMethod(nameof(TypedJsonActorProxy.Create))!.MakeGenericMethod(actorInterfaceType)
            .Invoke(null, [_sdk.Create(actorId, actorType, options)])!;

    public ActorProxy Create(ActorId actorId, string actorType, ActorProxyOptions? options = null) => _sdk.Create(actorId, actorType, options);
}
