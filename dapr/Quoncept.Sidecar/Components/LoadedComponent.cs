namespace Quoncept.Sidecar.Components;

/// <summary>A component definition with the running instance built from it.</summary>
internal sealed record LoadedComponent<T>(ComponentDefinition Definition, T Instance);
