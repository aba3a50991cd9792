using Quoncept.Dapr;

namespace Microsoft.AspNetCore.Builder;

/// <summary><c>app.UseCloudEvents()</c>, as in <c>Dapr.AspNetCore</c>: place it before the endpoints that receive events.</summary>
public static class CloudEventsApplicationBuilderExtensions
{
    public static IApplicationBuilder UseCloudEvents(this IApplicationBuilder app, CloudEventsMiddlewareOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<CloudEventsMiddleware>(options ?? new CloudEventsMiddlewareOptions());
    }
}
