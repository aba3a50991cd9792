using System.Text.Json;

namespace Quoncept.Sidecar.Tests.Harness;

/// <summary>
/// A Zipkin-compatible collector for tests: takes <c>POST /api/v2/spans</c> (JSON v2) on a
/// <see cref="TestApp"/> and gives back the spans of one trace.
/// </summary>
internal sealed class ZipkinReceiver : IAsyncDisposable
{
    private readonly TestApp _app;

    private ZipkinReceiver(TestApp app) => _app = app;

    public Uri Endpoint => new($"http://127.0.0.1:{_app.Port}/api/v2/spans");

    public static async Task<ZipkinReceiver> StartAsync() => new(await TestApp.StartAsync());

    /// <summary>Every span received so far for <paramref name="traceId"/>.</summary>
    public List<ZipkinSpan> SpansOf(string traceId) =>
        _app.Requests.Where(r => r.Path == "/api/v2/spans")
            .SelectMany(r => JsonDocument.Parse(r.Body).RootElement.EnumerateArray().Select(ZipkinSpan.From).ToList())
            .Where(s => s.TraceId == traceId)
            .ToList();

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>The fields of a Zipkin v2 span the tests look at.</summary>
internal sealed record ZipkinSpan(string TraceId, string Id, string? ParentId, string Kind, string Name, string Service)
{
    public static ZipkinSpan From(JsonElement span) => new(
        span.GetProperty("traceId").GetString()!,
        span.GetProperty("id").GetString()!,
        span.TryGetProperty("parentId", out var parent) ? parent.GetString() : null,
        span.TryGetProperty("kind", out var kind) ? kind.GetString()! : "INTERNAL",
        span.GetProperty("name").GetString()!,
        span.GetProperty("localEndpoint").GetProperty("serviceName").GetString()!);
}
