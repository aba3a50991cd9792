using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Quoncept.Universe.Tests.EndToEnd;

namespace Quoncept.Universe.Tests.Operations;

/// <summary>
/// A Zipkin-compatible collector in the test: takes <c>POST /api/v2/spans</c> (JSON v2, what the services',
/// the runtime's and the test client's Zipkin exporters send) on a free loopback port and keeps every span.
/// </summary>
internal sealed class ZipkinCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ZipkinSpan> _spans = new();

    private ZipkinCollector(WebApplication app, int port)
    {
        _app = app;
        Endpoint = new Uri($"http://127.0.0.1:{port}/api/v2/spans");
    }

    public Uri Endpoint { get; }

    public static async Task<ZipkinCollector> StartAsync()
    {
        var port = FreePorts.Take(1)[0];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var collector = new ZipkinCollector(app, port);
        app.MapPost("/api/v2/spans", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            foreach (var span in body.RootElement.EnumerateArray()) collector._spans.Enqueue(ZipkinSpan.From(span));
            return Results.Accepted();
        });
        await app.StartAsync();
        return collector;
    }

    public List<ZipkinSpan> SpansOf(string traceId) => _spans.Where(s => s.TraceId == traceId).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The fields of a Zipkin v2 span the tests look at.</summary>
internal sealed record ZipkinSpan(string TraceId, string Id, string? ParentId, string Kind, string Name, string Service, IReadOnlyDictionary<string, string> Tags)
{
    public string Tag(string name) => Tags.GetValueOrDefault(name, "");

    public static ZipkinSpan From(JsonElement span) => new(
        span.GetProperty("traceId").GetString()!,
        span.GetProperty("id").GetString()!,
        span.TryGetProperty("parentId", out var parent) ? parent.GetString() : null,
        span.TryGetProperty("kind", out var kind) ? kind.GetString()! : "INTERNAL",
        span.GetProperty("name").GetString()!,
        span.GetProperty("localEndpoint").GetProperty("serviceName").GetString()!,
        span.TryGetProperty("tags", out var tags) ? tags.EnumerateObject().ToDictionary(t => t.Name, t => t.Value.ToString()) : new Dictionary<string, string>());

    public override string ToString() => $"{Service} {Kind} {Name} id={Id} parent={ParentId} {string.Join(' ', Tags.Where(t => t.Key is "url.path" or "quoncept.gateway.id" or "dapr.app_id").Select(t => $"{t.Key}={t.Value}"))}";
}
