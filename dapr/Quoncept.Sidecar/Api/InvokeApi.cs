using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// The HTTP transport of service invocation (https://docs.dapr.io/reference/api/service_invocation_api/):
/// <c>{VERB} /v1.0/invoke/{appId}/method/{method}</c>, or any non-API path with a <c>dapr-app-id</c>
/// header. Verb, path, query, headers and body go to the app through <see cref="AppInvoker"/>; its status,
/// headers and body come back unchanged.
/// </summary>
internal static class InvokeApi
{
    private static readonly HashSet<string> NotCopiedBack = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "Trailer", "Content-Length",
    };

    public static void MapInvokeApi(this IEndpointRouteBuilder routes)
    {
        routes.Map("/v1.0/invoke/{appId}/method/{**method}", (HttpContext context, string appId, string? method, AppRegistry apps, AppInvoker invoker) =>
            InvokeAsync(context, appId, method ?? "", apps, invoker));
    }

    /// <summary>The <c>dapr-app-id</c> header form: runs before routing for paths outside the Dapr API.</summary>
    public static IApplicationBuilder UseAppIdHeaderInvocation(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var target = context.Request.Headers["dapr-app-id"].ToString();
            var path = context.Request.Path.Value ?? "/";
            var apps = context.RequestServices.GetRequiredService<AppRegistry>();
            if (target.Length == 0 || path.StartsWith("/v1.0", StringComparison.Ordinal) || apps.IsGrpcPort(context.Connection.LocalPort))
            {
                await next(context);
                return;
            }
            await InvokeAsync(context, target, path, apps, context.RequestServices.GetRequiredService<AppInvoker>());
        });

    private static async Task InvokeAsync(HttpContext context, string appId, string path, AppRegistry apps, AppInvoker invoker)
    {
        var caller = apps.CallerOf(context);
        var target = invoker.Resolve(appId);
        using var request = AppInvoker.CreateRequest(context.Request.Method, path, context.Request.QueryString.Value?.TrimStart('?'));
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentType is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (AppInvoker.IsForwarded(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
        using var response = await AppInvoker.SendAsync(caller, target, request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!NotCopiedBack.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
