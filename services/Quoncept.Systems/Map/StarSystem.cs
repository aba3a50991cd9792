namespace Quoncept.Systems.Map;

/// <summary>A system's static information; <see cref="Neighbours"/> are the ends of its jump lanes.</summary>
internal sealed record StarSystem(string Id, string Name, double Security, IReadOnlyList<string> Neighbours);
