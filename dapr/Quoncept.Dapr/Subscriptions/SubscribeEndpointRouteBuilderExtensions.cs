using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Quoncept.Dapr;
using Quoncept.Dapr.Wire;

namespace Microsoft.AspNetCore.Builder;

/// <summary><c>app.MapSubscribeHandler()</c>, as in <c>Dapr.AspNetCore</c>.</summary>
public static class SubscribeEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>GET /dapr/subscribe</c>, answering with every <see cref="TopicAttribute"/>/<c>WithTopic</c> endpoint of the app.</summary>
    public static IEndpointConventionBuilder MapSubscribeHandler(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        List<SubscriptionWire>? table = null;
        return endpoints.MapGet("/dapr/subscribe", (HttpContext http) =>
        {
            // Built on first request: by then every endpoint of the app has been mapped.
            table ??= SubscriptionTable.Build(http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints);
            return Results.Json(table, DaprWireContext.Default.ListSubscriptionWire);
        });
    }
}
