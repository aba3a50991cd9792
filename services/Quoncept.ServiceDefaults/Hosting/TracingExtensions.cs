using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Quoncept.ServiceDefaults.Hosting;

/// <summary>
/// OpenTelemetry tracing through its hosting package: ASP.NET Core (server spans named
/// "{method} {route}"), HttpClient and gRPC client instrumentation, and the Quoncept.* sources;
/// W3C traceparent in and out. Exporters: Zipkin when "Quoncept:Tracing:ZipkinEndpoint" is set
/// (the endpoint dapr/config.yaml names), OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// "Quoncept:Tracing:SamplingRate" (0..1, default 1) as Dapr's samplingRate; a sampled parent
/// (the sidecar's, the client's) is always followed.
/// </summary>
public static class TracingExtensions
{
    public const string ActivitySourcePrefix = "Quoncept.";

    // The Zipkin exporter is marked obsolete upstream in favour of OTLP; Dapr's tracing configuration
    // (dapr/config.yaml) names a Zipkin endpoint, so both are wired.
#pragma warning disable CS0618
    public static WebApplicationBuilder AddQuonceptTracing(this WebApplicationBuilder builder, string serviceName)
    {
        var section = builder.Configuration.GetSection(TracingOptions.Section);
        builder.Services.AddOptions<TracingOptions>().Bind(section)
            .Validate(o => o.SamplingRate is >= 0 and <= 1, $"{TracingOptions.Section}:SamplingRate must be a number from 0 to 1")
            .Validate(o => string.IsNullOrEmpty(o.ZipkinEndpoint) || o.ZipkinUri is not null,
                $"{TracingOptions.Section}:ZipkinEndpoint must be an absolute http(s) URL such as http://127.0.0.1:9411/api/v2/spans")
            .ValidateOnStart();
        builder.Services.AddOptions<ZipkinExporterOptions>().Configure<IOptions<TracingOptions>>((zipkin, tracing) =>
        {
            if (tracing.Value.ZipkinUri is { } endpoint) zipkin.Endpoint = endpoint;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(ActivitySourcePrefix + "*")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddGrpcClientInstrumentation()
                    .SetSampler(services => new ParentBasedSampler(new TraceIdRatioBasedSampler(services.GetRequiredService<IOptions<TracingOptions>>().Value.SamplingRate)));
                if (!string.IsNullOrEmpty(section["ZipkinEndpoint"])) tracing.AddZipkinExporter();
                if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) tracing.AddOtlpExporter();
            });
        return builder;
    }
#pragma warning restore CS0618
}
