namespace Quoncept.Dapr.Actors;

/// <summary>A registered reminder of one actor.</summary>
public sealed record ActorReminder(string ActorType, ActorId ActorId, string Name, byte[] State, TimeSpan DueTime, TimeSpan Period, TimeSpan? Ttl) : IActorReminder;
