using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Quoncept.ServiceDefaults.Hosting;

/// <summary>
/// OpenTelemetry tracing without the hosting package (absent here): one TracerProvider per
/// process, built at start-up and disposed (flushed) at shutdown. ASP.NET Core and HttpClient emit
/// Activities natively and propagate W3C traceparent/tracestate; the provider samples and exports them.
/// Exporters: OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; Zipkin when "Quoncept:Tracing:ZipkinEndpoint"
/// is set (e.g. http://127.0.0.1:9411/api/v2/spans, the endpoint dapr/config.yaml names).
/// "Quoncept:Tracing:SamplingRate" (0..1, default 1) as Dapr's samplingRate.
/// </summary>
public static class TracingExtensions
{
    public const string ActivitySourcePrefix = "Quoncept.";

    public static IServiceCollection AddQuonceptTracing(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var rateText = configuration["Quoncept:Tracing:SamplingRate"];
        var rate = 1.0;
        if (rateText is not null && (!double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out rate) || rate is < 0 or > 1))
        {
            throw new InvalidOperationException($"Configuration 'Quoncept:Tracing:SamplingRate' is '{rateText}'; write a number from 0 to 1.");
        }

        var zipkin = configuration["Quoncept:Tracing:ZipkinEndpoint"];
        Uri? zipkinUri = null;
        if (!string.IsNullOrEmpty(zipkin) && !Uri.TryCreate(zipkin, UriKind.Absolute, out zipkinUri))
        {
            throw new InvalidOperationException($"Configuration 'Quoncept:Tracing:ZipkinEndpoint' is '{zipkin}'; write an absolute http URL.");
        }

        var otlp = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddSingleton(_ =>
        {
            var builder = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName))
                .AddSource("Microsoft.AspNetCore", "System.Net.Http", ActivitySourcePrefix + "*")
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(rate)));
            if (otlp)
            {
                builder.AddOtlpExporter();
            }

            if (zipkinUri is not null)
            {
                builder.AddProcessor(new BatchActivityExportProcessor(new ZipkinExporter(zipkinUri, serviceName)));
            }

            return builder.Build();
        });
        services.AddHostedService<TracerProviderLifetime>();
        return services;
    }

    /// <summary>Builds the provider when the host starts (so the first request is traced) and flushes it at stop.</summary>
    private sealed class TracerProviderLifetime(TracerProvider provider) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            provider.ForceFlush(2000);
            return Task.CompletedTask;
        }
    }
}
