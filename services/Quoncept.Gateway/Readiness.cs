using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quoncept.Contracts;

namespace Quoncept.Gateway;

/// <summary>
/// Ready once the gateway can reach every service it needs through its sidecar: one real read
/// from each actor type, which also proves the hosting app is up and placed. Served as GET
/// /healthz/ready on the app port (./run.sh and the end-to-end tests wait on it: 200, or 503
/// naming what is missing) and as grpc.health.v1 service "quoncept.v1.Gateway" on the client
/// port; service "" is liveness (the process serves).
/// </summary>
internal sealed class Readiness(ActorDirectory actors, GatewayDrain drain) : IHealthCheck
{
    public const string Route = "/healthz/ready";
    public const string ReadyTag = "ready";
    public const string LiveTag = "live";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (drain.IsDraining) return HealthCheckResult.Unhealthy("not ready: shutting down");
        var probes = new (string Name, Func<Task<bool>> Probe)[]
        {
            ("sessions", async () => await actors.Session("alice").GetStatusAsync().ConfigureAwait(false) is not null),
            ("characters", async () => (await actors.Character("c000001").GetAsync().ConfigureAwait(false)).Error?.Code is not FailureCode.Unavailable),
            ("systems", async () => (await actors.System("s0001").GetInfoAsync().ConfigureAwait(false)).Error?.Code is not FailureCode.Unavailable),
        };
        var missing = new List<string>();
        foreach (var (name, probe) in probes)
        {
            try
            {
                if (!await probe().WaitAsync(ProbeTimeout, cancellationToken).ConfigureAwait(false)) missing.Add(name);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                missing.Add(name);
            }
        }

        return missing.Count == 0 ? HealthCheckResult.Healthy("ready") : HealthCheckResult.Unhealthy($"not ready: {string.Join(", ", missing)}");
    }

    /// <summary>GET /healthz/ready: the result's description as text, 200 or 503.</summary>
    public static IEndpointConventionBuilder MapReadiness(IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks(Route, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = (http, report) => http.Response.WriteAsync(
                string.Join("; ", report.Entries.Values.Select(e => e.Description ?? e.Status.ToString())), http.RequestAborted),
        });
}
