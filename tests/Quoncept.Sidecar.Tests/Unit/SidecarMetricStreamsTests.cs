using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Quoncept.Sidecar.Metrics;

namespace Quoncept.Sidecar.Tests.Unit;

public sealed class SidecarMetricStreamsTests
{
    [Fact]
    public void Configure_MoreTagSetsThanTheLimit_KeepsTheLimitAndFoldsTheRestIntoOverflow()
    {
        using var meter = new Meter($"Quoncept.Tests.SidecarMetricStreams.{Guid.NewGuid():N}");
        var tagSets = new List<(bool Overflow, long Sum)>();
        using (OpenTelemetry.Sdk.CreateMeterProviderBuilder()
            .AddMeter(meter.Name)
            .AddView(SidecarMetricStreams.Configure)
            .AddReader(new BaseExportingMetricReader(new SumExporter(tagSets)))
            .Build())
        {
            var calls = meter.CreateCounter<long>("dapr.runtime.test_calls");
            for (var i = 0; i < SidecarMetricStreams.MaxTagSets + 20; i++) calls.Add(1, new KeyValuePair<string, object?>("method", $"m{i}"));
            meter.CreateUpDownCounter<long>("aspnetcore.memory_pool.rented").Add(1);
        }
        Assert.Equal(SidecarMetricStreams.MaxTagSets, tagSets.Count(s => !s.Overflow));
        Assert.Equal(20, tagSets.Single(s => s.Overflow).Sum);
    }

    /// <summary>The sums of the last export (the one at shutdown: cumulative); a dropped stream adds none.</summary>
    private sealed class SumExporter(List<(bool Overflow, long Sum)> tagSets) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            tagSets.Clear();
            foreach (var metric in batch)
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var overflow = false;
                    foreach (var tag in point.Tags) overflow |= tag.Key == "otel.metric.overflow";
                    tagSets.Add((overflow, point.GetSumLong()));
                }
            }
            return ExportResult.Success;
        }
    }
}
