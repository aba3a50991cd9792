namespace Quoncept.Sidecar.Actors.Turns;

/// <summary>A call could not join the actor's queue (queue full, or reentrant stack too deep).</summary>
internal sealed class ActorTurnRejectedException(string message) : Exception(message);
