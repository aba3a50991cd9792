using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Quoncept.Sidecar.Tests.Harness;

/// <summary>
/// A small app on a 127.0.0.1 port from <see cref="Runner.FreePort"/> (never given to another server of this
/// process, so a test can stop it and start a new one on the same port) standing in for a service behind the sidecar: answers
/// <c>GET /dapr/subscribe</c> with <see cref="Subscriptions"/>, records every other request, and
/// answers with <see cref="Responder"/> (200 empty by default).
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApp(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Subscriptions { get; set; } = "[]";

    /// <summary>How long <c>GET /dapr/subscribe</c> waits before it answers (an app still starting up).</summary>
    public TimeSpan SubscribeDelay { get; set; }

    private int _subscribeAsks;

    /// <summary>How many times the runtime asked for the app's subscriptions.</summary>
    public int SubscribeAsks => Volatile.Read(ref _subscribeAsks);

    public Func<RecordedRequest, int, (int Status, string Body)> Responder { get; set; } = (_, _) => (200, "");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    private readonly ConcurrentDictionary<string, int> _attempts = new();

    public static async Task<TestApp> StartAsync(int? port = null)
    {
        port ??= Runner.FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port.Value));
        var app = builder.Build();
        var testApp = new TestApp(app, port.Value);
        app.Run(testApp.HandleAsync);
        await app.StartAsync();
        return testApp;
    }

    /// <summary>Waits until <paramref name="count"/> requests matching <paramref name="filter"/> arrived (or times out).</summary>
    public async Task<List<RecordedRequest>> WaitForAsync(Func<RecordedRequest, bool> filter, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var matching = Requests.Where(filter).ToList();
            if (matching.Count >= count || DateTime.UtcNow > deadline)
            {
                return matching;
            }
            await Task.Delay(20);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == "/dapr/subscribe")
        {
            Interlocked.Increment(ref _subscribeAsks);
            if (SubscribeDelay > TimeSpan.Zero)
            {
                await Task.Delay(SubscribeDelay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Subscriptions);
            return;
        }
        if (context.Request.Path == "/dapr/config")
        {
            // Not an actor host: the runtime's actor discovery gets "no actors".
            context.Response.StatusCode = 404;
            return;
        }
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var recorded = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
        Requests.Enqueue(recorded);
        var attempt = _attempts.AddOrUpdate(recorded.Key, 1, (_, n) => n + 1);
        var (status, answer) = Responder(recorded, attempt);
        context.Response.StatusCode = status;
        if (answer.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request the test app received.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>CloudEvent id for deliveries (so retries of one message share it), else method + path + body.</summary>
    public string Key => CloudEvent is { } e && e.TryGetProperty("id", out var id) ? id.GetString()! : $"{Method} {Path} {Body}";

    public JsonElement? CloudEvent
    {
        get
        {
            try
            {
                var element = JsonDocument.Parse(Body).RootElement;
                return element.ValueKind == JsonValueKind.Object && element.TryGetProperty("specversion", out _) ? element : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
