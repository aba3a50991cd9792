namespace Quoncept.Cli;

/// <summary>Collects latencies from many threads; percentiles by sorting at the end (a bench holds at most a few million).</summary>
internal sealed class LatencyRecorder
{
    private const int MaxSamples = 5_000_000;
    private readonly Lock _gate = new();
    private readonly List<double> _milliseconds = [];

    public int Count { get { lock (_gate) return _milliseconds.Count; } }

    public void Add(TimeSpan latency)
    {
        lock (_gate)
        {
            if (_milliseconds.Count < MaxSamples) _milliseconds.Add(latency.TotalMilliseconds);
        }
    }

    /// <summary>The nearest-rank percentile in milliseconds, or NaN without samples.</summary>
    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_milliseconds.Count == 0) return double.NaN;
            _milliseconds.Sort();
            var rank = (int)Math.Ceiling(p / 100.0 * _milliseconds.Count);
            return _milliseconds[Math.Clamp(rank - 1, 0, _milliseconds.Count - 1)];
        }
    }

    public string Summary() => Count == 0 ? "no samples" : $"p50 {Percentile(50):F2} ms  p99 {Percentile(99):F2} ms  max {Percentile(100):F2} ms  (n={Count})";
}
