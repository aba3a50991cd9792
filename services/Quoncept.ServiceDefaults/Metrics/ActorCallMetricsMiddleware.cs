using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Quoncept.ServiceDefaults.Metrics;

/// <summary>
/// Times the sidecar's calls into this app's actors, <c>PUT /actors/{type}/{id}/method/{method}</c> (reminders and
/// timers are <c>method/remind/{name}</c> and <c>method/timer/{name}</c>): the SDK's actor endpoints carry one route
/// template, so ASP.NET Core's own request metrics cannot tell the types and methods apart.
/// </summary>
internal sealed class ActorCallMetricsMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!TryReadActorCall(context.Request.Path, out var actorType, out var method))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var start = Stopwatch.GetTimestamp();
        var status = 500;
        try
        {
            await next(context).ConfigureAwait(false);
            status = context.Response.StatusCode;
        }
        finally
        {
            ServiceMetrics.ActorCalled(actorType, method, start, status);
        }
    }

    /// <summary>"/actors/{type}/{id}/method/{method...}" → type and method; anything else is not an actor call.</summary>
    internal static bool TryReadActorCall(PathString path, out string actorType, out string method)
    {
        actorType = method = "";
        if (!path.StartsWithSegments("/actors", StringComparison.Ordinal, out var rest) || !rest.HasValue) return false;
        var parts = rest.Value!.Split('/', 5, StringSplitOptions.None);
        // "", type, id, "method", method...
        if (parts.Length != 5 || parts[3] != "method" || parts[1].Length == 0 || parts[4].Length == 0) return false;
        (actorType, method) = (parts[1], parts[4]);
        return true;
    }
}
