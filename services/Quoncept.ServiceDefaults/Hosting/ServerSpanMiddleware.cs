using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Quoncept.ServiceDefaults.Hosting;

/// <summary>
/// Names and tags the server span ASP.NET Core starts for each request (without the absent
/// OpenTelemetry.Instrumentation.AspNetCore package it carries neither), following the
/// OpenTelemetry HTTP semantic conventions: name "{method} {route}", http.request.method,
/// url.path, http.route, http.response.status_code, status Error for 5xx.
/// </summary>
public static class ServerSpanMiddleware
{
    public static IApplicationBuilder UseServerSpanTags(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var activity = Activity.Current;
            try
            {
                await next(context);
            }
            finally
            {
                if (activity is not null && activity.IsAllDataRequested)
                {
                    Tag(activity, context);
                }
            }
        });

    private static void Tag(Activity activity, HttpContext context)
    {
        var method = context.Request.Method;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        activity.DisplayName = route is null ? method : $"{method} {route}";
        activity.SetTag("http.request.method", method);
        activity.SetTag("url.path", context.Request.Path.Value);
        if (route is not null)
        {
            activity.SetTag("http.route", route);
        }

        var status = context.Response.StatusCode;
        activity.SetTag("http.response.status_code", status);
        if (status >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
