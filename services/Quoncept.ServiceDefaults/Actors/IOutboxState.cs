using Quoncept.Contracts;

namespace Quoncept.ServiceDefaults.Actors;

/// <summary>Actor state that carries its own outbox: events saved with the state change that made them.</summary>
public interface IOutboxState
{
    List<UniverseEvent> Outbox { get; }
}
