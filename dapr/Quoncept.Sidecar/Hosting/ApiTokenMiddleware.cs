using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Hosting;

/// <summary>
/// daprd's APITokenAuthMiddleware on the HTTP ports: without the right <c>dapr-api-token</c> header a
/// request gets <c>401 invalid api token</c> (text, as Go's <c>http.Error</c> writes it), except
/// <c>GET /v1.0/healthz</c> and <c>GET /v1.0/healthz/outbound</c>. The header is removed once checked, so
/// it never reaches an invoked app or actor. The gRPC ports are checked by the gRPC interceptor.
/// </summary>
internal sealed class ApiTokenMiddleware(RequestDelegate next, SidecarSetup setup, AppRegistry apps)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (setup.ApiToken is not { Length: > 0 } token || apps.IsGrpcPort(context.Connection.LocalPort))
        {
            return next(context);
        }
        if (!ApiToken.Matches(context.Request.Headers[ApiToken.Header].FirstOrDefault(), token) && !IsExempt(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            return context.Response.WriteAsync("invalid api token\n", context.RequestAborted);
        }
        context.Request.Headers.Remove(ApiToken.Header);
        return next(context);
    }

    private static bool IsExempt(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Path.Value is "/v1.0/healthz" or "/v1.0/healthz/outbound";
}
