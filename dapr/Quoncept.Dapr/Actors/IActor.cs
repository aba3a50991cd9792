namespace Quoncept.Dapr.Actors;

/// <summary>Marker for actor interfaces: every method takes at most one argument (plus an optional CancellationToken) and returns Task or Task&lt;T&gt;.</summary>
public interface IActor
{
}
