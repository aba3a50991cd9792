using Quoncept.Sidecar.Api;

namespace Quoncept.Sidecar.Hosting;

/// <summary>
/// Cleans the request path before routing, as daprd's HTTP server does (see <see cref="DaprPath"/>):
/// <c>//v1.0/actors/A/1/method/m</c> and <c>/v1.0/state/store/</c> reach the routes they name.
/// </summary>
internal sealed class PathCleaningMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var cleaned = DaprPath.CleanRequestPath(path);
        if (!ReferenceEquals(cleaned, path))
        {
            context.Request.Path = cleaned;
        }
        return next(context);
    }
}
