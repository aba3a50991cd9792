using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Quoncept.Dapr.Actors.Runtime;

namespace Microsoft.AspNetCore.Builder;

/// <summary><c>app.MapActorsHandlers()</c>: the app-callback side of the actor protocol, as in <c>Dapr.Actors.AspNetCore</c>.</summary>
public static class ActorsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /dapr/config</c>, <c>PUT /actors/{type}/{id}/method/{method}</c>, <c>PUT .../method/remind/{name}</c>,
    /// <c>PUT .../method/timer/{name}</c>, <c>DELETE /actors/{type}/{id}</c> and <c>GET /healthz</c>
    /// (https://docs.dapr.io/reference/api/actors_api/#dapr-calling-to-user-service-code).
    /// </summary>
    public static IEndpointConventionBuilder MapActorsHandlers(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var runtime = endpoints.ServiceProvider.GetService<ActorRuntime>()
            ?? throw new InvalidOperationException("MapActorsHandlers needs services.AddActors(...) first.");

        var group = endpoints.MapGroup("");
        group.AddEndpointFilter(new AppApiTokenFilter(runtime.Options.AppApiToken));
        group.MapGet("/dapr/config", ActorEndpoints.GetConfig);
        group.MapPut("/actors/{actorType}/{actorId}/method/remind/{reminderName}", ActorEndpoints.FireReminderAsync);
        group.MapPut("/actors/{actorType}/{actorId}/method/timer/{timerName}", ActorEndpoints.FireTimerAsync);
        group.MapPut("/actors/{actorType}/{actorId}/method/{methodName}", ActorEndpoints.InvokeMethodAsync);
        group.MapDelete("/actors/{actorType}/{actorId}", ActorEndpoints.DeactivateAsync);
        group.MapGet("/healthz", () => Results.Text("OK"));
        return group;
    }
}
