namespace Quoncept.Sidecar.Actors.Turns;

internal enum TurnOutcome
{
    /// <summary>The caller holds the actor's turn and must call <see cref="ActorTurnLock.Exit"/>.</summary>
    Entered,

    /// <summary>The activation is being deactivated: look the actor up again once it is gone.</summary>
    Closed,
}
