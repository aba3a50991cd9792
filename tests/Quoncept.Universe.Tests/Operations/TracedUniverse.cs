using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Quoncept.Client;
using Quoncept.Universe.Tests.EndToEnd;

namespace Quoncept.Universe.Tests.Operations;

/// <summary>
/// A universe whose runtime and apps sample every trace and export to an in-test Zipkin collector, as
/// dapr/config.yaml and dapr/dapr.yaml configure it; and the test's own client spans (source
/// <see cref="ClientTracing.SourceName"/>) exported to the same collector, for the requests a test marks
/// with <see cref="Traced"/> only (other tests in this process keep their clients untraced).
/// </summary>
public sealed class TracedUniverse : IAsyncLifetime
{
    public const string ClientService = "quoncept-test-client";

    private static readonly AsyncLocal<bool> TracedFlow = new();
    private TracerProvider? _clientTracing;

    public UniverseFixture Universe { get; private set; } = null!;

    internal ZipkinCollector Zipkin { get; private set; } = null!;

    /// <summary>Client requests made from here on in the calling flow are traced (their spans recorded and sampled).</summary>
    public static void Traced() => TracedFlow.Value = true;

    public async Task InitializeAsync()
    {
        Zipkin = await ZipkinCollector.StartAsync();
        Universe = new UniverseFixture(new UniverseOptions(Zipkin.Endpoint, SamplingRate: 1));
        await Universe.InitializeAsync();
#pragma warning disable CS0618 // Zipkin's exporter is marked obsolete upstream in favour of OTLP; Dapr's configuration names Zipkin.
        _clientTracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(ClientTracing.SourceName)
            .ConfigureResource(r => r.AddService(ClientService))
            .SetSampler(new FlowSampler())
            .AddZipkinExporter(o =>
            {
                o.Endpoint = Zipkin.Endpoint;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build();
#pragma warning restore CS0618
    }

    public async Task DisposeAsync()
    {
        _clientTracing?.Dispose();
        if (Universe is not null) await Universe.DisposeAsync();
        if (Zipkin is not null) await Zipkin.DisposeAsync();
    }

    private sealed class FlowSampler : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            new(TracedFlow.Value ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
    }
}
