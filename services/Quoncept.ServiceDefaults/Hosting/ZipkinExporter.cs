using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenTelemetry;

namespace Quoncept.ServiceDefaults.Hosting;

/// <summary>
/// Exports spans to Zipkin (the OpenTelemetry Zipkin exporter package cannot be restored here).
/// Wire: POST {endpoint} with a JSON array of Zipkin v2 spans (https://zipkin.io/zipkin-api/, "Span"):
/// <code>
/// [{"traceId":32 hex,"id":16 hex,"parentId":16 hex?,"kind":"SERVER|CLIENT|PRODUCER|CONSUMER"?,
///   "name":string,"timestamp":epoch µs,"duration":µs,"localEndpoint":{"serviceName":string},
///   "tags":{string:string}}]
/// </code>
/// </summary>
public sealed class ZipkinExporter : BaseExporter<Activity>
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly Uri _endpoint;
    private readonly string _serviceName;
    private readonly HttpClient _http;

    public ZipkinExporter(Uri endpoint, string serviceName, HttpMessageHandler? handler = null)
    {
        _endpoint = endpoint;
        _serviceName = serviceName;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(5);
    }

    public override ExportResult Export(in Batch<Activity> batch)
    {
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartArray();
            foreach (var activity in batch)
            {
                WriteSpan(json, activity, _serviceName);
            }

            json.WriteEndArray();
        }

        // The export must not be traced itself, or every export would make a new span to export.
        using var suppress = SuppressInstrumentationScope.Begin();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body.ToArray()) };
            request.Content.Headers.ContentType = Json;
            using var response = _http.Send(request);
            return response.IsSuccessStatusCode ? ExportResult.Success : ExportResult.Failure;
        }
        catch (HttpRequestException)
        {
            return ExportResult.Failure;
        }
        catch (TaskCanceledException)
        {
            return ExportResult.Failure;
        }
    }

    internal static void WriteSpan(Utf8JsonWriter json, Activity activity, string serviceName)
    {
        json.WriteStartObject();
        json.WriteString("traceId", activity.TraceId.ToHexString());
        json.WriteString("id", activity.SpanId.ToHexString());
        if (activity.ParentSpanId != default)
        {
            json.WriteString("parentId", activity.ParentSpanId.ToHexString());
        }

        var kind = activity.Kind switch
        {
            ActivityKind.Server => "SERVER",
            ActivityKind.Client => "CLIENT",
            ActivityKind.Producer => "PRODUCER",
            ActivityKind.Consumer => "CONSUMER",
            _ => null,
        };
        if (kind is not null)
        {
            json.WriteString("kind", kind);
        }

        json.WriteString("name", activity.DisplayName);
        json.WriteNumber("timestamp", (activity.StartTimeUtc - DateTime.UnixEpoch).Ticks / 10);
        json.WriteNumber("duration", Math.Max(1, activity.Duration.Ticks / 10));
        json.WriteStartObject("localEndpoint");
        json.WriteString("serviceName", serviceName);
        json.WriteEndObject();
        json.WriteStartObject("tags");
        foreach (var tag in activity.TagObjects)
        {
            if (tag.Value is not null)
            {
                json.WriteString(tag.Key, Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (activity.Status == ActivityStatusCode.Error)
        {
            json.WriteString("error", activity.StatusDescription ?? "error");
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _http.Dispose();
        }

        base.Dispose(disposing);
    }
}
