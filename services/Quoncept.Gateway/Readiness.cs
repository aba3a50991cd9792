using Quoncept.Contracts;

namespace Quoncept.Gateway;

/// <summary>
/// GET /healthz/ready on the app port: 200 once the gateway can reach every service it needs
/// through its sidecar (one real read from each actor type, which also proves the hosting app is
/// up and placed), else 503 naming what is missing. ./run.sh and the end-to-end tests wait on it.
/// </summary>
internal static class Readiness
{
    public const string Route = "/healthz/ready";

    public static IEndpointConventionBuilder MapReadiness(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Route, async (ActorDirectory actors, CancellationToken cancellationToken) =>
        {
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
                    if (!await probe().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false)) missing.Add(name);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    missing.Add(name);
                }
            }
            return missing.Count == 0 ? Results.Ok("ready") : Results.Text($"not ready: {string.Join(", ", missing)}", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
}
