using System.Diagnostics;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Tracing;

/// <summary>
/// daprd answers every HTTP API call with the <c>traceparent</c> of the span that served it (unless the
/// answer already has one, e.g. from an invoked app), so a caller without tracing of its own can still
/// join the trace. The span is ASP.NET Core's request span, continued from the caller's context.
/// </summary>
internal sealed class ResponseTraceparentMiddleware(RequestDelegate next, AppRegistry apps)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } span && !apps.IsGrpcPort(context.Connection.LocalPort))
        {
            context.Response.OnStarting(() =>
            {
                if (!context.Response.Headers.ContainsKey("traceparent"))
                {
                    context.Response.Headers.TraceParent = span.Id;
                }
                return Task.CompletedTask;
            });
        }
        return next(context);
    }
}
