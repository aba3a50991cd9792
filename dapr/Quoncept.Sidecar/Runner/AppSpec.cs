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

    /// <summary>
    /// The port of the metrics server (run file <c>metricsPort</c>, daprd <c>--metrics-port</c>): Prometheus text at
    /// <c>/metrics</c>, as daprd serves it. Null: no metrics server (daprd's default 9090 is not taken, so that
    /// several runtimes on one machine do not collide).
    /// </summary>
    public int? MetricsPort { get; init; }
}
