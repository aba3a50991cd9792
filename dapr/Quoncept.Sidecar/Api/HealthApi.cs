using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.Runner;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// Health (https://docs.dapr.io/reference/api/health_api/) and shutdown (https://docs.dapr.io/reference/api/shutdown_api/).
/// <c>/v1.0/healthz</c> is 204 once the calling app has been healthy (500 ERR_HEALTH_NOT_READY before) and stays
/// so while the app restarts or fails its health checks, as daprd's, whose readiness ends its initialization and
/// is never taken back; only an app that is gone for good (its process exited in run-file mode, where the CLI
/// would stop its daprd with it) makes it 500 again. <c>/v1.0/healthz/outbound</c> is 204 as soon as the API serves. <c>POST /v1.0/shutdown</c> stops this
/// app instance's sidecar: the whole runtime when it fronts one app, else that instance and its process.
/// </summary>
internal static class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1.0/healthz", (HttpContext context, AppRegistry apps) =>
        {
            var caller = apps.CallerOf(context);
            if (caller.HasBeenHealthy && caller.Health is not AppHealth.Gone)
            {
                return Results.NoContent();
            }
            throw new DaprApiException(500, "ERR_HEALTH_NOT_READY", $"dapr is not ready: app {caller.InstanceId} is {caller.Health.ToString().ToLowerInvariant()}");
        });
        routes.MapGet("/v1.0/healthz/outbound", () => Results.NoContent());
        routes.MapPost("/v1.0/shutdown", (HttpContext context, AppRegistry apps, AppSupervisor supervisor) =>
        {
            var caller = apps.CallerOf(context);
            context.Response.OnCompleted(() =>
            {
                _ = supervisor.ShutdownAsync(caller);
                return Task.CompletedTask;
            });
            return Results.NoContent();
        });
    }
}
