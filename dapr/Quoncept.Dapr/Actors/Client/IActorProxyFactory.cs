namespace Quoncept.Dapr.Actors.Client;

/// <summary>Creates actor proxies; registered in DI by <c>AddActors</c> (and by the test host, routed in-process).</summary>
public interface IActorProxyFactory
{
    TActorInterface CreateActorProxy<TActorInterface>(ActorId actorId, string actorType, ActorProxyOptions? options = null)
        where TActorInterface : IActor;

    ActorProxy Create(ActorId actorId, string actorType, ActorProxyOptions? options = null);
}
