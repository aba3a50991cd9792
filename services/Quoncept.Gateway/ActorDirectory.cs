using Dapr.Actors;
using Dapr.Actors.Client;
using Quoncept.Contracts;

namespace Quoncept.Gateway;

/// <summary>Typed proxies of the universe's actors, by the ids their interfaces document.</summary>
internal sealed class ActorDirectory(IActorProxyFactory proxies)
{
    public ISessionActor Session(string username) => proxies.CreateActorProxy<ISessionActor>(new ActorId(username), ActorTypes.Session);

    public ICharacterActor Character(string characterId) => proxies.CreateActorProxy<ICharacterActor>(new ActorId(characterId), ActorTypes.Character);

    public ISystemActor System(string systemId) => proxies.CreateActorProxy<ISystemActor>(new ActorId(systemId), ActorTypes.System);
}
