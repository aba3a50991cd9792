namespace Quoncept.Sidecar.Components;

/// <summary>A component, subscription or configuration file that cannot be used; the message says why and where.</summary>
internal sealed class ComponentLoadException(string file, string problem)
    : Exception($"{file}: {problem}")
{
    public string File { get; } = file;
}
