using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Quoncept.ServiceDefaults.Hosting;

namespace Quoncept.Universe.Tests.Domain;

public sealed class ZipkinExporterTests
{
    [Fact]
    public void Export_ServerSpanWithW3CParent_PostsZipkinV2Json()
    {
        var sink = new CapturingHandler(HttpStatusCode.Accepted);
        var sourceName = "Quoncept.Test." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(sourceName)
            .AddProcessor(new SimpleActivityExportProcessor(new ZipkinExporter(new Uri("http://127.0.0.1:9411/api/v2/spans"), "systems", sink)))
            .Build())
        {
            var parent = ActivityContext.Parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
            using (var activity = source.StartActivity("PUT /actors/{type}/{id}/method/{m}", ActivityKind.Server, parent))
            {
                activity!.SetTag("http.response.status_code", 200);
                activity.SetStatus(ActivityStatusCode.Error, "boom");
            }

            provider.ForceFlush();
        }

        var request = Assert.Single(sink.Requests);
        Assert.Equal("/api/v2/spans", request.Path);
        Assert.Equal("application/json", request.ContentType);
        using var json = JsonDocument.Parse(request.Body);
        var span = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", span.GetProperty("traceId").GetString());
        Assert.Equal("b7ad6b7169203331", span.GetProperty("parentId").GetString());
        Assert.Equal(16, span.GetProperty("id").GetString()!.Length);
        Assert.Equal("SERVER", span.GetProperty("kind").GetString());
        Assert.Equal("systems", span.GetProperty("localEndpoint").GetProperty("serviceName").GetString());
        Assert.Equal("200", span.GetProperty("tags").GetProperty("http.response.status_code").GetString());
        Assert.Equal("boom", span.GetProperty("tags").GetProperty("error").GetString());
        Assert.True(span.GetProperty("timestamp").GetInt64() > 1_600_000_000_000_000);
        Assert.True(span.GetProperty("duration").GetInt64() >= 1);
    }

    [Fact]
    public void Export_CollectorDown_FailureNotException()
    {
        var exporter = new ZipkinExporter(new Uri("http://127.0.0.1:9/api/v2/spans"), "systems", new CapturingHandler(HttpStatusCode.ServiceUnavailable));
        using var activity = new Activity("x").Start();
        activity.Stop();
        var result = exporter.Export(new Batch<Activity>([activity], 1));
        Assert.Equal(ExportResult.Failure, result);
    }

    private sealed class CapturingHandler(HttpStatusCode status) : HttpMessageHandler
    {
        public List<(string Path, string? ContentType, byte[] Body)> Requests { get; } = [];

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.RequestUri!.AbsolutePath, request.Content!.Headers.ContentType?.MediaType, request.Content.ReadAsByteArrayAsync(cancellationToken).GetAwaiter().GetResult()));
            return new HttpResponseMessage(status);
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));
    }
}
