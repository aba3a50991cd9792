using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Quoncept.ServiceDefaults.Metrics;

namespace Quoncept.Universe.Tests.Operations;

/// <summary>The per-collection GC pause histogram every service exports (quoncept.gc.pause.duration).</summary>
public sealed class GcPauseMonitorTests
{
    [Fact]
    public async Task ExecuteAsync_ABlockingGen2Collection_RecordedWithItsGenerationKindAndPause()
    {
        var seen = new List<(double Seconds, int Generation, string Kind)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ServiceMetrics.MeterName && instrument.Name == "quoncept.gc.pause.duration") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var generation = -1;
            var kind = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "gc.generation") generation = (int)tag.Value!;
                if (tag.Key == "gc.kind") kind = (string)tag.Value!;
            }
            lock (seen) seen.Add((value, generation, kind));
        });
        listener.Start();
        using var monitor = new GcPauseMonitor(NullLogger<GcPauseMonitor>.Instance);
        await monitor.StartAsync(default);
        await Task.Delay(GcPauseMonitor.PollInterval * 3);

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            lock (seen) if (seen.Any(s => s.Kind == "full_blocking")) break;
            await Task.Delay(50);
        }
        await monitor.StopAsync(default);

        lock (seen)
        {
            // Tests beside this one may collect too: this collection is one of what was seen.
            var full = seen.Where(s => s.Kind == "full_blocking").ToList();
            Assert.NotEmpty(full);
            Assert.All(full, s => Assert.Equal(2, s.Generation));
            Assert.All(full, s => Assert.InRange(s.Seconds, double.Epsilon, 10));
        }
    }
}
