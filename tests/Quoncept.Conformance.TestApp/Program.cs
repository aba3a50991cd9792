using System.Collections.Concurrent;
using System.Text.Json;
using Dapr;
using Dapr.AspNetCore;
using Dapr.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Quoncept.Conformance.TestApp;

// A Dapr app as the official SDK's samples write one: DaprClient, actors, [Topic] subscriptions.
// Everything it receives is recorded in the state store, so the test reads what happened through the runtime.
var port = Environment.GetEnvironmentVariable("APP_PORT") ?? throw new InvalidOperationException("APP_PORT is not set");
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Services.AddDaprClient();
builder.Services.AddActors(o =>
{
    o.Actors.RegisterActor<LedgerActor>();
    // Remoting bodies as JSON instead of DataContract XML (what the services use); both ends must agree.
    o.UseJsonSerialization = builder.Configuration.GetValue<bool>("UseJsonSerialization");
    // Reminders kept in that many partitions of the actor state store (what the services ask for); 0: one list.
    o.RemindersStoragePartitions = builder.Configuration.GetValue<int>("RemindersStoragePartitions");
});
// With APP_API_TOKEN set, every endpoint (actors, subscriptions, invocation targets) accepts only calls that carry
// it in dapr-api-token, which the sidecar adds to each call into the app (Dapr.AspNetCore's app API token scheme).
var appApiToken = !string.IsNullOrEmpty(builder.Configuration["APP_API_TOKEN"]);
if (appApiToken)
{
    builder.Services.AddAuthentication().AddDapr();
    builder.Services.AddAuthorization(o =>
    {
        o.AddDapr();
        o.FallbackPolicy = o.GetPolicy("Dapr");
    });
}
var app = builder.Build();

// The CloudEvent's attributes reach the handlers as "Cloudevent.*" headers, so a test can see what the runtime sent.
app.UseCloudEvents(new CloudEventsMiddlewareOptions { ForwardCloudEventPropertiesAsHeaders = true });
if (appApiToken)
{
    app.UseAuthentication();
    app.UseAuthorization();
}
app.MapActorsHandlers();
app.MapSubscribeHandler();

const string Store = "statestore";
var attempts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
var retry = Results.Json(new { status = "RETRY" });
var drop = Results.Json(new { status = "DROP" });

app.MapPost("/events/ledger", [Topic("pubsub", "ledger")] async (LedgerEvent e, HttpRequest request, DaprClient dapr) =>
{
    // The envelope first: a test that sees "seen-" finds the envelope already there.
    await dapr.SaveStateAsync(Store, "envelope-" + e.Id, new Dictionary<string, string>
    {
        ["id"] = request.Headers["Cloudevent.id"].ToString(),
        ["type"] = request.Headers["Cloudevent.type"].ToString(),
        ["source"] = request.Headers["Cloudevent.source"].ToString(),
        ["topic"] = request.Headers["Cloudevent.topic"].ToString(),
        ["subject"] = request.Headers["Cloudevent.subject"].ToString(),
        // The middleware does not forward the CloudEvent's pubsubname; daprd sends it as a header of its own.
        ["pubsubname"] = request.Headers["pubsubname"].ToString(),
    });
    await dapr.SaveStateAsync(Store, "seen-" + e.Id, e.Amount);
    return Results.Ok();
});

// Routing rules: widgets take the rule's route, the rest the default one.
app.MapPost("/events/orders/widgets", [Topic("pubsub", "orders", "event.data.mode == \"widget\"", 1)] async (LedgerEvent e, DaprClient dapr) =>
{
    await dapr.SaveStateAsync(Store, "route-" + e.Id, "widgets");
    return Results.Ok();
});
app.MapPost("/events/orders", [Topic("pubsub", "orders")] async (LedgerEvent e, DaprClient dapr) =>
{
    await dapr.SaveStateAsync(Store, "route-" + e.Id, "default");
    return Results.Ok();
});

app.MapPost("/events/flaky", async (LedgerEvent e, DaprClient dapr) =>
{
    var attempt = attempts.AddOrUpdate(e.Id, 1, (_, n) => n + 1);
    await dapr.SaveStateAsync(Store, "attempts-" + e.Id, attempt);
    if (e.Mode == "drop") return drop;
    return attempt <= e.FailTimes ? retry : Results.Ok();
}).WithTopic(new TopicOptions { PubsubName = "pubsub", Name = "flaky", DeadLetterTopic = "flaky-dead" });

app.MapPost("/events/flaky-dead", [Topic("pubsub", "flaky-dead")] async (LedgerEvent e, DaprClient dapr) =>
{
    await dapr.SaveStateAsync(Store, "dead-" + e.Id, e.Amount);
    return Results.Ok();
});

// Binary data: the CloudEvent carries it base64 (data_base64) and UseCloudEvents hands the bytes back.
app.MapPost("/events/bytes", [Topic("pubsub", "bytes")] async (HttpRequest request, DaprClient dapr) =>
{
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body);
    await dapr.SaveStateAsync(Store, "bytes-" + request.Headers["Cloudevent.subject"], new Dictionary<string, string>
    {
        ["base64"] = Convert.ToBase64String(body.ToArray()),
        ["contentType"] = request.ContentType ?? "",
    });
    return Results.Ok();
});

// Raw payload: the body is the published bytes, no CloudEvent around them (daprd sends them base64 in an envelope
// of its own, which UseCloudEvents unwraps); kept under the "id" found in them, with what else the handler saw.
app.MapPost("/events/raw", async (HttpRequest request, DaprClient dapr) =>
{
    using var reader = new StreamReader(request.Body);
    var body = await reader.ReadToEndAsync();
    using var json = JsonDocument.Parse(body);
    await dapr.SaveStateAsync(Store, "raw-" + json.RootElement.GetProperty("id").GetString(), new Dictionary<string, string>
    {
        ["body"] = body,
        ["contentType"] = request.ContentType ?? "",
        ["source"] = request.Headers["Cloudevent.source"].ToString(),
    });
    return Results.Ok();
}).WithTopic("pubsub", "raw", enableRawPayload: true);

// Bulk, shaped like the gateway's live subscription: a rule as the only route, one consumer per replica.
// Each entry is answered RETRY while its attempt is within FailTimes, DROP for Mode "drop", else SUCCESS.
var bulkBatches = 0;
app.MapPost("/events/bulk", async (BulkSubscribeMessage<BulkMessageModel<LedgerEvent>> message, DaprClient dapr) =>
{
    var batch = Interlocked.Increment(ref bulkBatches);
    var statuses = new List<BulkSubscribeAppResponseEntry>(message.Entries.Count);
    foreach (var entry in message.Entries)
    {
        var e = entry.Event.Data;
        var attempt = attempts.AddOrUpdate("bulk-" + e.Id, 1, (_, n) => n + 1);
        await dapr.SaveStateAsync(Store, $"bulk-{e.Id}#{attempt}", batch);
        statuses.Add(new BulkSubscribeAppResponseEntry(entry.EntryId,
            e.Mode == "drop" ? BulkSubscribeAppResponseStatus.DROP
            : attempt <= e.FailTimes ? BulkSubscribeAppResponseStatus.RETRY
            : BulkSubscribeAppResponseStatus.SUCCESS));
    }

    return Results.Json(new BulkSubscribeAppResponse(statuses));
}).WithTopic(new TopicOptions
{
    PubsubName = "pubsub",
    Name = "bulk",
    Match = "event.data.mode != \"skip\"",
    Metadata = new Dictionary<string, string> { ["consumerID"] = "{uuid}" },
}).WithBulkSubscribe(new BulkSubscribeTopicOptions { TopicName = "bulk", MaxMessagesCount = 100, MaxAwaitDurationMs = 200 });

// Service invocation targets.
app.MapPost("/echo", (LedgerEvent e) => Results.Json(e with { Amount = e.Amount * 2 }));
app.MapGet("/whoami", (HttpRequest request) => Results.Json(new { pid = Environment.ProcessId, query = request.QueryString.Value }));
app.MapPut("/status/{code:int}", (int code) => Results.Json(new { code }, statusCode: code));
app.MapMethods("/inspect", ["GET", "POST", "PUT", "PATCH", "DELETE"], async (HttpRequest request, HttpResponse response) =>
{
    using var reader = new StreamReader(request.Body);
    response.Headers["x-answered-by"] = "conformance-app";
    return Results.Json(new Dictionary<string, string>
    {
        ["method"] = request.Method,
        ["body"] = await reader.ReadToEndAsync(),
        ["contentType"] = request.ContentType ?? "",
        ["x-conformance"] = request.Headers["x-conformance"].ToString(),
        ["dapr-caller-app-id"] = request.Headers["dapr-caller-app-id"].ToString(),
        ["dapr-callee-app-id"] = request.Headers["dapr-callee-app-id"].ToString(),
        ["dapr-api-token"] = request.Headers["dapr-api-token"].ToString(),
    });
});

app.Run();
