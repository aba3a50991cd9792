namespace Quoncept.Dapr.Actors;

/// <summary>A registered reminder.</summary>
public interface IActorReminder
{
    string Name { get; }
    byte[] State { get; }
    TimeSpan DueTime { get; }
    TimeSpan Period { get; }
}
