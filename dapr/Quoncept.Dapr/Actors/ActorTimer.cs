namespace Quoncept.Dapr.Actors;

/// <summary>A registered timer: <see cref="Callback"/> names an actor method <c>Task M(byte[] state)</c>.</summary>
public sealed record ActorTimer(string ActorType, ActorId ActorId, string Name, string Callback, byte[] Data, TimeSpan DueTime, TimeSpan Period, TimeSpan? Ttl);
