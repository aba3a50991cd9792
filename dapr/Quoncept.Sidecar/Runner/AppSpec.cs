namespace Quoncept.Sidecar.Runner;

/// <summary>One app to front: from a run-file entry, or from daprd-style flags (no command then).</summary>
internal sealed record AppSpec(
    string AppId,
    string? AppDirectory,
    int? AppPort,
    int? SidecarHttpPort,
    IReadOnlyList<string>? Command,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> ResourcesPaths,
    string? ConfigFile,
    string? HealthCheckPath);
