using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Quoncept.Sidecar.Metrics;

/// <summary>
/// daprd's metrics server, with OpenTelemetry: Prometheus text at <c>GET /metrics</c> on each metrics port
/// (run file <c>metricsPort</c>, daprd <c>--metrics-port</c>) and nothing else there; the Dapr APIs never
/// answer on it and it never answers on theirs. Collected: <see cref="RuntimeMetrics"/>, ASP.NET Core's and
/// HttpClient's request metrics, and .NET runtime metrics (GC, thread pool, exceptions). Without a metrics
/// port nothing is collected.
/// </summary>
internal static class MetricsSetup
{
    public const string Path = "/metrics";

    public static IServiceCollection AddSidecarMetrics(this IServiceCollection services, IReadOnlyCollection<int> metricsPorts, string serviceName)
    {
        if (metricsPorts.Count == 0) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter(RuntimeMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddView(SidecarMetricStreams.Configure)
                .AddPrometheusExporter());
        return services;
    }

    /// <summary>First in the pipeline: a request on a metrics port is a scrape or a 404.</summary>
    public static WebApplication UseSidecarMetrics(this WebApplication app, IReadOnlyCollection<int> metricsPorts)
    {
        if (metricsPorts.Count == 0) return app;
        bool OnMetricsPort(HttpContext context) => metricsPorts.Contains(context.Connection.LocalPort);
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: context => OnMetricsPort(context) && context.Request.Path == Path,
            path: null,
            configureBranchedPipeline: null,
            optionsName: null);
        app.UseWhen(OnMetricsPort, other => other.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync($"this is the metrics port: GET {Path}\n", context.RequestAborted);
        }));
        return app;
    }
}
