using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Quoncept.ServiceDefaults.Metrics;

namespace Quoncept.Universe.Tests.Operations;

public sealed class MetricStreamsTests
{
    [Fact]
    public void Configure_MoreTagSetsThanTheLimit_KeepsTheLimitAndCountsTheRestTogether()
    {
        var points = Export(meter =>
        {
            var calls = meter.CreateCounter<long>("quoncept.test.calls");
            for (var i = 0; i < MetricStreams.MaxTagSets + 50; i++) calls.Add(1, new KeyValuePair<string, object?>("method", $"m{i}"));
        });
        Assert.Equal(MetricStreams.MaxTagSets, points.Count(p => !p.Overflow));
        Assert.Equal(50, points.Single(p => p.Overflow).Sum);
    }

    [Fact]
    public void Configure_HistogramWithBucketAdvice_KeepsTheAdvisedBuckets()
    {
        double[] advised = [0.005, 0.01, 0.1, 1];
        var points = Export(meter =>
        {
            var duration = meter.CreateHistogram("quoncept.test.duration", "s", null, null,
                new InstrumentAdvice<double> { HistogramBucketBoundaries = advised });
            duration.Record(0.05);
        });
        Assert.Equal(advised, points.Single().Bounds);
    }

    [Fact]
    public void Configure_KestrelMemoryPoolPerBlockCounters_Dropped()
    {
        var points = Export(meter =>
        {
            meter.CreateUpDownCounter<long>("aspnetcore.memory_pool.rented").Add(1);
            meter.CreateCounter<long>("aspnetcore.memory_pool.allocated").Add(1);
        });
        Assert.Equal(["aspnetcore.memory_pool.allocated"], points.Select(p => p.Metric).Distinct());
    }

    [Fact]
    public void Configure_PerRequestInstrumentsNothingReads_DisabledAndRequestDurationsKept()
    {
        var enabled = new Dictionary<string, bool>();
        var points = Export(meter =>
        {
            foreach (var name in new[] { "http.server.active_requests", "http.client.active_requests", "http.client.open_connections" })
            {
                var counter = meter.CreateUpDownCounter<long>(name);
                counter.Add(1);
                enabled[name] = counter.Enabled;
            }
            var matches = meter.CreateCounter<long>("aspnetcore.routing.match_attempts");
            enabled[matches.Name] = matches.Enabled;
            var queued = meter.CreateHistogram<double>("http.client.request.time_in_queue");
            enabled[queued.Name] = queued.Enabled;
            meter.CreateHistogram<double>("http.server.request.duration").Record(0.01);
            meter.CreateHistogram<double>("http.client.request.duration").Record(0.01);
        });
        Assert.All(enabled, e => Assert.False(e.Value, $"{e.Key} is still measured"));
        Assert.Equal(["http.client.request.duration", "http.server.request.duration"], points.Select(p => p.Metric).Distinct().Order());
    }

    private static List<ExportedPoint> Export(Action<Meter> record)
    {
        using var meter = new Meter($"Quoncept.Tests.MetricStreams.{Guid.NewGuid():N}");
        var points = new List<ExportedPoint>();
        using (var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(meter.Name)
            .AddView(MetricStreams.Configure)
            .AddReader(new BaseExportingMetricReader(new CapturingExporter(points)))
            .Build())
        {
            record(meter);
        }
        return points;
    }

    private sealed record ExportedPoint(string Metric, bool Overflow, long Sum, double[] Bounds);

    /// <summary>Copies what it is given at once: the SDK reuses its metric points after the export returns.</summary>
    private sealed class CapturingExporter(List<ExportedPoint> points) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            points.Clear(); // cumulative: the last export (at shutdown) has everything
            foreach (var metric in batch)
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var overflow = false;
                    foreach (var tag in point.Tags) overflow |= tag.Key == "otel.metric.overflow";
                    var isHistogram = metric.MetricType == MetricType.Histogram;
                    var bounds = new List<double>();
                    if (isHistogram)
                    {
                        foreach (var bucket in point.GetHistogramBuckets()) if (!double.IsPositiveInfinity(bucket.ExplicitBound)) bounds.Add(bucket.ExplicitBound);
                    }
                    var sum = metric.MetricType is MetricType.LongSum or MetricType.LongSumNonMonotonic ? point.GetSumLong() : 0;
                    points.Add(new ExportedPoint(metric.Name, overflow, sum, [.. bounds]));
                }
            }
            return ExportResult.Success;
        }
    }
}
