using System.Collections.Concurrent;
using Quoncept.Dapr;
using Quoncept.Dapr.TestApp;

// A service as our services are built: DaprClient, actors, subscriptions; listens on APP_PORT.
var port = Environment.GetEnvironmentVariable("APP_PORT") ?? throw new InvalidOperationException("APP_PORT is not set");
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Services.AddDaprClient();
builder.Services.AddDaprSidecarWait(TimeSpan.FromSeconds(30));
builder.Services.AddActors(o => o.Actors.Register<LedgerActor>());
var app = builder.Build();

app.UseCloudEvents();
app.MapActorsHandlers();
app.MapSubscribeHandler();

const string Store = "statestore";
var attempts = new ConcurrentDictionary<string, int>();

app.MapPost("/events/ledger", async (LedgerEvent e, DaprClient dapr) =>
{
    await dapr.SaveStateAsync(Store, "seen-" + e.Id, e.Amount);
    return TopicResults.Success();
}).WithTopic("pubsub", "ledger");

app.MapPost("/events/flaky", async (LedgerEvent e, DaprClient dapr) =>
{
    var attempt = attempts.AddOrUpdate(e.Id, 1, (_, n) => n + 1);
    await dapr.SaveStateAsync(Store, "attempts-" + e.Id, attempt);
    if (e.Mode == "drop")
    {
        return TopicResults.Drop();
    }

    return attempt <= e.FailTimes ? TopicResults.Retry() : TopicResults.Success();
}).WithTopic(new TopicOptions { PubsubName = "pubsub", Name = "flaky", DeadLetterTopic = "flaky-dead" });

app.MapPost("/events/flaky-dead", async (LedgerEvent e, DaprClient dapr) =>
{
    await dapr.SaveStateAsync(Store, "dead-" + e.Id, e.Amount);
    return TopicResults.Success();
}).WithTopic("pubsub", "flaky-dead");

app.MapPost("/events/raw", async (HttpRequest request, DaprClient dapr) =>
{
    using var reader = new StreamReader(request.Body);
    await dapr.SaveStateAsync(Store, "raw", await reader.ReadToEndAsync());
    return TopicResults.Success();
}).WithTopic("pubsub", "raw", enableRawPayload: true);

app.MapPost("/echo", (LedgerEvent e) => Results.Json(e with { Amount = e.Amount * 2 }));
app.MapGet("/whoami", () => Results.Text($"pid {Environment.ProcessId}"));

app.Run();
