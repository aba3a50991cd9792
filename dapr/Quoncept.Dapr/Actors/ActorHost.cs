using System.Text.Json;
using Microsoft.Extensions.Logging;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Actors.Runtime;

namespace Quoncept.Dapr.Actors;

/// <summary>What the runtime hands an actor's constructor: its identity and the services it runs on.</summary>
public sealed class ActorHost
{
    internal ActorHost(
        string actorTypeName,
        ActorId id,
        JsonSerializerOptions jsonSerializerOptions,
        ILoggerFactory loggerFactory,
        IActorProxyFactory proxyFactory,
        IActorStateProvider stateProvider,
        IActorTimerManager timerManager)
    {
        ActorTypeName = actorTypeName;
        Id = id;
        JsonSerializerOptions = jsonSerializerOptions;
        LoggerFactory = loggerFactory;
        ProxyFactory = proxyFactory;
        StateProvider = stateProvider;
        TimerManager = timerManager;
    }

    public string ActorTypeName { get; }

    public ActorId Id { get; }

    public JsonSerializerOptions JsonSerializerOptions { get; }

    public ILoggerFactory LoggerFactory { get; }

    public IActorProxyFactory ProxyFactory { get; }

    internal IActorStateProvider StateProvider { get; }

    internal IActorTimerManager TimerManager { get; }
}
