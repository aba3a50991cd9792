namespace Quoncept.Dapr.Actors;

/// <summary>What is being run, handed to OnPre/OnPostActorMethodAsync.</summary>
public sealed record ActorMethodContext(string MethodName, ActorCallType CallType);
