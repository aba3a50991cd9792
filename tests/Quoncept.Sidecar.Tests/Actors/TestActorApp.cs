using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Quoncept.Sidecar.Tests.Actors;

/// <summary>One recorded callback from the sidecar into the test app.</summary>
internal sealed record AppCall(string Kind, string Type, string Id, string Name, string Body, IHeaderDictionary Headers);

/// <summary>
/// A real HTTP actor host on 127.0.0.1 speaking daprd's app protocol: <c>GET /dapr/config</c>,
/// <c>PUT /actors/{type}/{id}/method/...</c>, <c>DELETE /actors/{type}/{id}</c>. Methods:
/// <c>echo</c> (returns the body), <c>whoami</c> (the app's name), <c>sleep</c> (body = milliseconds),
/// <c>gate</c> (waits for <see cref="Gate"/>),
/// <c>fail</c> (500), <c>missing</c> (404), <c>actor-error</c> (200 + X-DaprErrorResponseHeader),
/// <c>headers</c> (echoes x-test and traceparent), <c>reenter</c> (calls echo on itself through the sidecar).
/// It records every call and the highest number of concurrent calls per actor.
/// </summary>
internal sealed class TestActorApp : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _maxInFlight = new();
    private WebApplication? _app;

    private TestActorApp(string name, string config, int port)
    {
        Name = name;
        Config = config;
        Port = port;
    }

    public string Name { get; }

    public string Config { get; set; }

    public int Port { get; private set; }

    /// <summary>The sidecar port this app's own API calls go to (set once the runtime runs).</summary>
    public int SidecarPort { get; set; }

    public ConcurrentQueue<AppCall> Calls { get; } = new();

    /// <summary>Runs inside each reminder or timer callback (kind "remind" or "timer", type, id, name) before it is recorded and answered.</summary>
    public Func<string, string, string, string, Task>? OnCallback { get; set; }

    /// <summary>Callbacks ("kind type/id/name") whose request the runtime aborted while <see cref="OnCallback"/> ran.</summary>
    public ConcurrentQueue<string> AbortedCallbacks { get; } = new();

    /// <summary>Calls to method <c>gate</c> wait until the test completes this.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int MaxConcurrentCallsPerActor => _maxInFlight.Values.DefaultIfEmpty(0).Max();

    public int MaxConcurrentCallsOverall { get; private set; }

    private int _overall;
    private int _configFailuresLeft;

    /// <summary>How many times <c>GET /dapr/config</c> answers 503 before it answers.</summary>
    public int ConfigFailuresLeft
    {
        get => Math.Max(0, Volatile.Read(ref _configFailuresLeft));
        set => Volatile.Write(ref _configFailuresLeft, value);
    }

    /// <summary>
    /// Starts on <paramref name="port"/>, or else on a port from <see cref="Runner.FreePort"/>: one that no other
    /// server of this process is given, so the app can stop and start again on it while the runtime keeps its port.
    /// </summary>
    public static async Task<TestActorApp> StartAsync(string name, string config, int port = 0)
    {
        var app = new TestActorApp(name, config, port == 0 ? Runner.FreePort.Next() : port);
        await app.StartAsync();
        return app;
    }

    public static string ConfigFor(params string[] types) => JsonSerializer.Serialize(new { entities = types });

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port));
        builder.Services.AddHttpClient();
        var app = builder.Build();
        app.MapGet("/dapr/config", () => Interlocked.Decrement(ref _configFailuresLeft) >= 0
            ? Results.StatusCode(503)
            : Results.Text(Config, "application/json"));
        app.MapGet("/healthz", () => Results.Ok());
        app.MapDelete("/actors/{type}/{id}", (string type, string id, HttpContext c) => Record(c, "deactivate", type, id, "", ""));
        app.MapPut("/actors/{type}/{id}/method/remind/{name}", (string type, string id, string name, HttpContext c) => CallbackAsync(c, "remind", type, id, name));
        app.MapPut("/actors/{type}/{id}/method/timer/{name}", (string type, string id, string name, HttpContext c) => CallbackAsync(c, "timer", type, id, name));
        app.MapPut("/actors/{type}/{id}/method/{method}", MethodAsync);
        await app.StartAsync();
        Port = new Uri(app.Urls.First()).Port;
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public IEnumerable<AppCall> CallsOf(string kind) => Calls.Where(c => c.Kind == kind);

    public async Task<AppCall> WaitForAsync(Func<AppCall, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (Calls.FirstOrDefault(match) is { } call)
            {
                return call;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"{Name} never received the expected call; got: {string.Join("; ", Calls.Select(c => $"{c.Kind} {c.Type}/{c.Id} {c.Name}"))}");
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task CallbackAsync(HttpContext context, string kind, string type, string id, string name)
    {
        if (OnCallback is { } hook)
        {
            await hook(kind, type, id, name);
            if (context.RequestAborted.IsCancellationRequested) AbortedCallbacks.Enqueue($"{kind} {type}/{id}/{name}");
        }
        await RecordWithBody(context, kind, type, id, name);
    }

    private async Task RecordWithBody(HttpContext context, string kind, string type, string id, string name)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        await Record(context, kind, type, id, name, body);
    }

    private Task Record(HttpContext context, string kind, string type, string id, string name, string body)
    {
        Calls.Enqueue(new AppCall(kind, type, id, name, body, Copy(context.Request.Headers)));
        context.Response.StatusCode = 200;
        return Task.CompletedTask;
    }

    // Kestrel reuses a request's header collection after the response: keep a copy.
    private static HeaderDictionary Copy(IHeaderDictionary headers) => new(headers.ToDictionary(h => h.Key, h => h.Value));

    private async Task MethodAsync(HttpContext context, string type, string id, string method)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var key = type + "/" + id;
        var now = _inFlight.AddOrUpdate(key, 1, (_, n) => n + 1);
        _maxInFlight.AddOrUpdate(key, now, (_, max) => Math.Max(max, now));
        var overall = Interlocked.Increment(ref _overall);
        lock (_inFlight)
        {
            MaxConcurrentCallsOverall = Math.Max(MaxConcurrentCallsOverall, overall);
        }
        Calls.Enqueue(new AppCall("method", type, id, method, body, Copy(context.Request.Headers)));
        try
        {
            await AnswerAsync(context, type, id, method, body);
        }
        finally
        {
            _inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
            Interlocked.Decrement(ref _overall);
        }
    }

    private async Task AnswerAsync(HttpContext context, string type, string id, string method, string body)
    {
        var response = context.Response;
        switch (method)
        {
            case "echo":
                response.ContentType = context.Request.ContentType ?? "application/json";
                await response.WriteAsync(body);
                break;
            case "whoami":
                await response.WriteAsJsonAsync(Name);
                break;
            case "sleep":
                await Task.Delay(int.Parse(body, System.Globalization.CultureInfo.InvariantCulture));
                await response.WriteAsJsonAsync(Name);
                break;
            case "gate":
                await Gate.Task;
                await response.WriteAsJsonAsync(Name);
                break;
            case "fail":
                response.StatusCode = 500;
                await response.WriteAsync("boom");
                break;
            case "missing":
                response.StatusCode = 404;
                break;
            case "actor-error":
                response.Headers["X-DaprErrorResponseHeader"] = "Simulated error header";
                await response.WriteAsync("{\"message\":\"bad things\"}");
                break;
            case "headers":
                await response.WriteAsJsonAsync(new
                {
                    test = context.Request.Headers["x-test"].ToString(),
                    traceparent = context.Request.Headers["traceparent"].ToString(),
                    contentType = context.Request.ContentType,
                    query = context.Request.QueryString.Value,
                });
                break;
            case "reenter":
                var client = context.RequestServices.GetRequiredService<IHttpClientFactory>().CreateClient();
                using (var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{SidecarPort}/v1.0/actors/{type}/{id}/method/echo")
                {
                    Content = new StringContent("\"inner\"", Encoding.UTF8, "application/json"),
                })
                {
                    if (context.Request.Headers.TryGetValue("Dapr-Reentrancy-Id", out var chain))
                    {
                        request.Headers.Add("Dapr-Reentrancy-Id", chain.ToString());
                    }
                    using var inner = await client.SendAsync(request);
                    response.StatusCode = (int)inner.StatusCode;
                    await response.WriteAsync(await inner.Content.ReadAsStringAsync());
                }
                break;
            default:
                response.StatusCode = 404;
                break;
        }
    }
}
