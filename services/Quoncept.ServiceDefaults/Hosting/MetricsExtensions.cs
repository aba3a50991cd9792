using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Quoncept.ServiceDefaults.Metrics;

namespace Quoncept.ServiceDefaults.Hosting;

/// <summary>
/// OpenTelemetry metrics in every service: the Quoncept.* meters, ASP.NET Core's and HttpClient's request
/// metrics (http.server.request.duration, http.client.request.duration), .NET runtime metrics (GC, thread pool,
/// exceptions), exported as Prometheus text at <c>GET /metrics</c> on the app's HTTP port.
/// </summary>
public static class MetricsExtensions
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddQuonceptMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(TracingExtensions.ActivitySourcePrefix + "*")
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddView(MetricStreams.Configure)
            .AddPrometheusExporter());
        builder.Services.AddHostedService<GcPauseMonitor>();
        return builder;
    }

    /// <summary>GET /metrics, and the timing of calls into this app's actors.</summary>
    public static WebApplication MapQuonceptMetrics(this WebApplication app)
    {
        app.UseMiddleware<ActorCallMetricsMiddleware>();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
