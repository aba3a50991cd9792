using System.Diagnostics;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Tracing;

/// <summary>
/// Runs every API request inside a server span continued from the caller's <c>traceparent</c>
/// (a new trace when there is none) and returns the span's <c>traceparent</c> in the response.
/// </summary>
internal sealed class TracingMiddleware(RequestDelegate next, AppRegistry apps)
{
    public async Task InvokeAsync(HttpContext context)
    {
        SidecarTracing.TryParseParent(context.Request.Headers.TraceParent, context.Request.Headers.TraceState, out var parent);
        using var span = SidecarTracing.Source.StartActivity($"{context.Request.Method} {context.Request.Path}", ActivityKind.Server, parent);
        if (span is null)
        {
            await next(context);
            return;
        }
        span.SetTag("dapr.app_id", apps.FindBySidecarPort(context.Connection.LocalPort)?.AppId);
        span.SetTag("http.method", context.Request.Method);
        span.SetTag("http.path", context.Request.Path.Value);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.TraceParent = span.Id;
            return Task.CompletedTask;
        });
        await next(context);
        span.SetTag("http.status_code", context.Response.StatusCode);
        if (context.Response.StatusCode >= 500)
        {
            span.SetStatus(ActivityStatusCode.Error);
        }
    }
}
