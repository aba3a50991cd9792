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

// Bulk: each delivery of an entry is recorded in memory as "id#attempt" -> batch number (GET /bulk/deliveries); an entry
// answers RETRY while its attempt is within FailTimes, DROP for Mode "drop", else SUCCESS; Mode "skip" matches no route.
var bulkDeliveries = new ConcurrentDictionary<string, int>();
var bulkAttempts = new ConcurrentDictionary<string, int>();
var bulkBatches = 0;
app.MapPost("/events/bulk", (HttpRequest request) => BulkSubscribeMessage.HandleAsync(request, TestAppJson.Default.LedgerEvent, (message, _) =>
{
    var batch = Interlocked.Increment(ref bulkBatches);
    var statuses = new List<BulkSubscribeAppResponseEntry>(message.Entries.Count);
    foreach (var entry in message.Entries)
    {
        var e = entry.Event;
        var attempt = bulkAttempts.AddOrUpdate(e.Id, 1, (_, n) => n + 1);
        bulkDeliveries[$"{e.Id}#{attempt}"] = batch;
        statuses.Add(new BulkSubscribeAppResponseEntry(entry.EntryId,
            e.Mode == "drop" ? BulkSubscribeAppResponseStatus.DROP
            : attempt <= e.FailTimes ? BulkSubscribeAppResponseStatus.RETRY
            : BulkSubscribeAppResponseStatus.SUCCESS));
    }

    return ValueTask.FromResult(new BulkSubscribeAppResponse(statuses));
})).WithTopic(new TopicOptions
{
    // Shaped like the gateway's live subscription: a rule as the only route, one consumer per replica.
    PubsubName = "pubsub",
    Name = "bulk",
    Match = "event.data.mode != \"skip\"",
    Metadata = new Dictionary<string, string> { ["consumerID"] = "{uuid}" },
}).WithBulkSubscribe("bulk", maxMessagesCount: 100, maxAwaitDurationMs: 200);
app.MapGet("/bulk/deliveries", () => Results.Json(new Dictionary<string, int>(bulkDeliveries), TestAppJson.Default.DictionaryStringInt32));

app.MapPost("/echo", (LedgerEvent e) => Results.Json(e with { Amount = e.Amount * 2 }));
app.MapGet("/whoami", () => Results.Text($"pid {Environment.ProcessId}"));

app.Run();
