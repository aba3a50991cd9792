using System.Diagnostics;
using Microsoft.AspNetCore.Http.Extensions;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.Tracing;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// Service invocation (https://docs.dapr.io/reference/api/service_invocation_api/):
/// <c>{VERB} /v1.0/invoke/{appId}/method/{method}</c>, or any non-API path with a <c>dapr-app-id</c>
/// header. Verb, path, query, headers and body go to the next healthy replica of the app (round-robin);
/// its status, headers and body come back unchanged.
/// </summary>
internal static class InvokeApi
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer",
        "Content-Length", "traceparent", "tracestate", "dapr-app-id",
    };

    public static void MapInvokeApi(this IEndpointRouteBuilder routes)
    {
        routes.Map("/v1.0/invoke/{appId}/method/{**method}", (HttpContext context, string appId, string? method, AppRegistry apps) =>
            InvokeAsync(context, appId, "/" + (method ?? ""), apps));
    }

    /// <summary>The <c>dapr-app-id</c> header form: runs before routing for paths outside the Dapr API.</summary>
    public static IApplicationBuilder UseAppIdHeaderInvocation(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var target = context.Request.Headers["dapr-app-id"].ToString();
            var path = context.Request.Path.Value ?? "/";
            if (target.Length == 0 || path.StartsWith("/v1.0", StringComparison.Ordinal) || path.StartsWith("/v1.0-alpha1", StringComparison.Ordinal))
            {
                await next(context);
                return;
            }
            await InvokeAsync(context, target, path, context.RequestServices.GetRequiredService<AppRegistry>());
        });

    private static async Task InvokeAsync(HttpContext context, string appId, string path, AppRegistry apps)
    {
        if (string.IsNullOrWhiteSpace(appId))
        {
            throw DaprErrors.DirectInvokeNoAppId();
        }
        var dot = appId.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            appId = appId[..dot];
        }
        var target = apps.NextHealthy(appId);
        using var span = SidecarTracing.Source.StartActivity($"invoke/{appId}{path}", ActivityKind.Client);
        span?.SetTag("dapr.app_id", appId);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), path.TrimStart('/') + context.Request.QueryString);
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
        HttpResponseMessage response;
        try
        {
            response = await target.Channel!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException error)
        {
            throw DaprErrors.AppUnavailable(appId, $"{target.InstanceId} did not answer {context.Request.Method} {path}: {error.Message}");
        }
        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }
            span?.SetTag("http.status_code", (int)response.StatusCode);
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    internal static string Describe(HttpContext context) => context.Request.GetDisplayUrl();
}
