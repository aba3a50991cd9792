using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Quoncept.ServiceDefaults.Metrics;

/// <summary>
/// Each garbage collection's stop-the-world pause, as a histogram (<c>quoncept.gc.pause.duration</c>, by generation
/// and kind) next to the runtime's pause total: a request's tail latency is often one process's collection, and a
/// total cannot tell ten 1 ms pauses from one of 10 ms. It reads <see cref="GC.GetGCMemoryInfo(GCKind)"/> every
/// <see cref="PollInterval"/> (each kind remembers its last collection, so a poll sees at most one per kind; more
/// in between are counted as <c>quoncept.gc.unseen</c>). A pause of <see cref="LogThreshold"/> or more is logged
/// with what the collection promoted and the heap it left.
/// </summary>
internal sealed class GcPauseMonitor(ILogger<GcPauseMonitor> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan LogThreshold = TimeSpan.FromMilliseconds(50);

    private static readonly GCKind[] Kinds = [GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background];

    private static readonly Meter Meter = new(ServiceMetrics.MeterName);

    private static readonly Histogram<double> Pause = Meter.CreateHistogram<double>(
        "quoncept.gc.pause.duration", "s", "Each garbage collection's pause (all its stop-the-world phases), by generation and kind",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ServiceMetrics.SecondsBuckets });

    private static readonly Counter<long> Unseen = Meter.CreateCounter<long>(
        "quoncept.gc.unseen", "{collection}", "Collections that ended between two polls behind another of their kind (their pause is only in the runtime's total)");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var last = Kinds.ToDictionary(kind => kind, kind => GC.GetGCMemoryInfo(kind).Index);
        var counted = TotalCollections();
        using var timer = new PeriodicTimer(PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var seen = 0L;
            foreach (var kind in Kinds)
            {
                var info = GC.GetGCMemoryInfo(kind);
                if (info.Index == last[kind]) continue;
                last[kind] = info.Index;
                seen++;
                Record(kind, info);
            }
            var total = TotalCollections();
            if (total - counted > seen) Unseen.Add(total - counted - seen);
            counted = total;
        }
    }

    private void Record(GCKind kind, GCMemoryInfo info)
    {
        var pause = TimeSpan.Zero;
        foreach (var phase in info.PauseDurations) pause += phase;
        var kindName = kind switch { GCKind.Ephemeral => "ephemeral", GCKind.FullBlocking => "full_blocking", _ => "background" };
        Pause.Record(pause.TotalSeconds, new KeyValuePair<string, object?>("gc.generation", info.Generation), new KeyValuePair<string, object?>("gc.kind", kindName));
        if (pause >= LogThreshold)
        {
            logger.LogWarning("GC #{Index} (gen{Generation}, {Kind}) paused the process {PauseMs:F1} ms: promoted {PromotedMiB:F1} MiB, heap {HeapMiB:F1} MiB, pinned objects {Pinned}, {Compacted}",
                info.Index, info.Generation, kindName, pause.TotalMilliseconds, info.PromotedBytes / 1048576.0, info.HeapSizeBytes / 1048576.0, info.PinnedObjectsCount, info.Compacted ? "compacted" : "not compacted");
        }
    }

    private static long TotalCollections() => GC.CollectionCount(0);
}
