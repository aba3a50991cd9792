using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;

namespace Quoncept.Sidecar.Tracing;

/// <summary>
/// Samples the runtime's spans (parent's decision when there is one, else <c>samplingRate</c> by trace id)
/// and posts the recorded ones to Zipkin as JSON v2 (https://zipkin.io/zipkin-api/#/default/post_spans):
/// <c>[{traceId, id, parentId?, name, kind, timestamp(µs), duration(µs), localEndpoint{serviceName}, tags{}}]</c>.
/// Spans queue in a bounded channel (oldest dropped when Zipkin is slow) and go out in batches.
/// </summary>
internal sealed class ZipkinExporter : BackgroundService
{
    private readonly TracingOptions _options;
    private readonly ILogger<ZipkinExporter> _logger;
    private readonly Channel<Activity> _spans = Channel.CreateBounded<Activity>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });
    private readonly ActivityListener _listener;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private bool _reportedUnreachable;

    public ZipkinExporter(TracingOptions options, ILogger<ZipkinExporter> logger)
    {
        _options = options;
        _logger = logger;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SidecarTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> creation) => Sample(creation.Parent, creation.TraceId),
            ActivityStopped = activity =>
            {
                if (activity.Recorded && _options.ZipkinEndpoint is not null)
                {
                    _spans.Writer.TryWrite(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public override void Dispose()
    {
        _listener.Dispose();
        _http.Dispose();
        base.Dispose();
    }

    private ActivitySamplingResult Sample(ActivityContext parent, ActivityTraceId traceId)
    {
        if (parent != default)
        {
            return parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
                ? ActivitySamplingResult.AllDataAndRecorded
                : ActivitySamplingResult.PropagationData;
        }
        if (_options.SamplingRate <= 0)
        {
            return ActivitySamplingResult.PropagationData;
        }
        // The trace id's first 8 bytes as a fraction of 2^64: the same trace gets the same decision everywhere.
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        var fraction = BitConverter.ToUInt64(bytes[..8]) / (double)ulong.MaxValue;
        return fraction < _options.SamplingRate ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.ZipkinEndpoint is not { } endpoint)
        {
            return;
        }
        var batch = new List<Activity>(512);
        try
        {
            while (await _spans.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 512 && _spans.Reader.TryRead(out var span))
                {
                    batch.Add(span);
                }
                await PostAsync(endpoint, batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (_spans.Reader.TryRead(out var span))
            {
                batch.Add(span);
            }
            if (batch.Count > 0)
            {
                using var flush = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await PostAsync(endpoint, batch, flush.Token);
            }
        }
    }

    private async Task PostAsync(Uri endpoint, List<Activity> batch, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(Serialize(batch));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(endpoint, content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                _logger.LogWarning("zipkin at {Endpoint} refused {Count} spans: HTTP {Status}", endpoint, batch.Count, (int)response.StatusCode);
            }
            else if (_reportedUnreachable)
            {
                _reportedUnreachable = false;
                _logger.LogInformation("zipkin at {Endpoint} is reachable again; exporting spans", endpoint);
            }
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException)
        {
            // Said once per outage: a run without a Zipkin server is normal and should not flood the log.
            if (!_reportedUnreachable)
            {
                _reportedUnreachable = true;
                _logger.LogWarning("zipkin at {Endpoint} unreachable ({Error}); spans are dropped until it answers", endpoint, error.Message);
            }
        }
    }

    internal static byte[] Serialize(IEnumerable<Activity> spans)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var span in spans)
            {
                json.WriteStartObject();
                json.WriteString("traceId", span.TraceId.ToHexString());
                json.WriteString("id", span.SpanId.ToHexString());
                if (span.ParentSpanId != default)
                {
                    json.WriteString("parentId", span.ParentSpanId.ToHexString());
                }
                json.WriteString("name", span.DisplayName);
                json.WriteString("kind", span.Kind switch
                {
                    ActivityKind.Server => "SERVER",
                    ActivityKind.Client => "CLIENT",
                    ActivityKind.Producer => "PRODUCER",
                    ActivityKind.Consumer => "CONSUMER",
                    _ => "CLIENT",
                });
                json.WriteNumber("timestamp", (span.StartTimeUtc - DateTime.UnixEpoch).Ticks / 10);
                json.WriteNumber("duration", Math.Max(1, span.Duration.Ticks / 10));
                json.WriteStartObject("localEndpoint");
                json.WriteString("serviceName", span.GetTagItem("dapr.app_id") as string ?? "dapr");
                json.WriteEndObject();
                json.WriteStartObject("tags");
                foreach (var (key, value) in span.EnumerateTagObjects())
                {
                    json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                }
                if (span.Status == ActivityStatusCode.Error)
                {
                    json.WriteString("error", span.StatusDescription ?? "true");
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }
}
