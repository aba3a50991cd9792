namespace Quoncept.Sidecar.Runner;

/// <summary>
/// One app to front: from a run-file entry, or from daprd-style flags (no command then). Sidecar ports
/// left null (or 0) are free ports chosen at start.
/// </summary>
internal sealed record AppSpec(
    string AppId,
    string? AppDirectory,
    int? AppPort,
    int? SidecarHttpPort,
    IReadOnlyList<string>? Command,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> ResourcesPaths,
    string? ConfigFile,
    string? HealthCheckPath)
{
    /// <summary>The port of the sidecar's gRPC API (run file <c>daprGRPCPort</c>, daprd <c>--dapr-grpc-port</c>).</summary>
    public int? SidecarGrpcPort { get; init; }
}
