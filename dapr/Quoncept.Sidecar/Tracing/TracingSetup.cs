using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Tracing;

/// <summary>
/// The runtime's tracing, with OpenTelemetry as daprd does it: sampling by the Configuration's
/// <c>samplingRate</c> for new traces and by the parent's decision otherwise; spans from ASP.NET Core
/// (every API call, continued from the caller's <c>traceparent</c>), from HttpClient (every call into an
/// app, which carries the span's <c>traceparent</c>) and from <see cref="SidecarTracing.Source"/>; export
/// to Zipkin (JSON v2) at <c>zipkin.endpointAddress</c> and to OTLP when configured. Only requests on this
/// runtime's ports and calls to its apps' ports are traced, so a runtime started inside another process
/// (tests, benchmarks) leaves that process's own requests alone.
/// </summary>
internal static class TracingSetup
{
    /// <summary>Marks a call into an app that is not traced (health probes, as daprd does not trace its own).</summary>
    public static readonly HttpRequestOptionsKey<bool> Untraced = new("Quoncept.Sidecar.Untraced");

    public static IServiceCollection AddSidecarTracing(this IServiceCollection services, TracingOptions options, AppRegistry apps, string serviceName)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.SamplingRate)))
                    .AddSource(SidecarTracing.SourceName)
                    .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context =>
                        apps.FindBySidecarPort(context.Connection.LocalPort) is not null && !IsHealthCheck(context.Request.Path))
                    .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request =>
                        request.RequestUri is { } uri && apps.IsAppPort(uri.Port)
                        && (!request.Options.TryGetValue(Untraced, out var untraced) || !untraced));
                if (options.ZipkinEndpoint is { } zipkin)
                {
                    // OpenTelemetry marks its Zipkin exporter obsolete in favour of OTLP, but Dapr's Configuration
                    // (tracing.zipkin.endpointAddress) names a Zipkin endpoint and daprd exports to it; OTLP is added below.
#pragma warning disable CS0618
                    tracing.AddZipkinExporter(exporter => exporter.Endpoint = zipkin);
#pragma warning restore CS0618
                }
                if (options.ExportOtlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        return services;
    }

    // daprd's tracing middleware skips its health endpoints too.
    private static bool IsHealthCheck(PathString path) => path.StartsWithSegments("/v1.0/healthz", StringComparison.Ordinal);
}
