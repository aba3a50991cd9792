using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Quoncept.Dapr.TestApp;
using Quoncept.Dapr.Tests.Support;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr.Tests.Subscriptions;

/// <summary>
/// Receiving a bulk delivery (https://docs.dapr.io/reference/api/pubsub_api/#expected-http-response-for-bulk-subscribe):
/// the sidecar's request body, typed entries, and the <c>{"statuses":[...]}</c> answer.
/// </summary>
public sealed class BulkSubscribeHandlerTests
{
    private static string CloudEvent(string id, string data, string dataContentType = "application/json") => $$"""
        {"specversion":"1.0","id":"ce-{{id}}","source":"shop","type":"com.dapr.event.sent","topic":"orders","pubsubname":"pubsub",
         "datacontenttype":"{{dataContentType}}","data":{{data}}}
        """;

    private static string Entry(string entryId, string evt, string contentType = "application/cloudevents+json") =>
        $$"""{"entryId":"{{entryId}}","event":{{evt}},"contentType":"{{contentType}}","metadata":{"k":"v"}""" + "}";

    private static string Body(params string[] entries) =>
        """{"id":"b-1","pubsubname":"pubsub","topic":"orders","type":"com.dapr.event.sent.bulk","metadata":{},"entries":[""" + string.Join(",", entries) + "]}";

    private static async Task<InMemoryApp> StartAsync(List<BulkSubscribeMessage<LedgerEvent>>? seen = null) =>
        await InMemoryApp.StartAsync(_ => { }, app =>
        {
            app.UseCloudEvents();
            app.MapPost("/orders", (HttpRequest request) => BulkSubscribeMessage.HandleAsync(request, TestAppJson.Default.LedgerEvent, (message, _) =>
            {
                seen?.Add(message);
                return ValueTask.FromResult(new BulkSubscribeAppResponse(message.Entries.Select(e => new BulkSubscribeAppResponseEntry(e.EntryId, e.Event.Mode switch
                {
                    "retry" => BulkSubscribeAppResponseStatus.RETRY,
                    "drop" => BulkSubscribeAppResponseStatus.DROP,
                    _ => BulkSubscribeAppResponseStatus.SUCCESS,
                })).ToList()));
            })).WithTopic("pubsub", "orders").WithBulkSubscribe("orders", 100, 0);
            app.MapPost("/each", (HttpRequest request) => BulkSubscribeMessage.HandleEachAsync(request, TestAppJson.Default.LedgerEvent,
                (entry, _) => ValueTask.FromResult(entry.Event.Amount > 0 ? BulkSubscribeAppResponseStatus.SUCCESS : BulkSubscribeAppResponseStatus.RETRY)))
                .WithTopic("pubsub", "each").WithBulkSubscribe("each");
            app.MapSubscribeHandler();
        });

    private static StringContent Json(string body, string contentType = "application/json") => new(body, Encoding.UTF8, contentType);

    [Fact]
    public async Task HandleAsync_MixedStatusesAndMalformedEntries_EachEntryAnswered()
    {
        var seen = new List<BulkSubscribeMessage<LedgerEvent>>();
        await using var app = await StartAsync(seen);

        var response = await app.Client.PostAsync("/orders", Json(Body(
            Entry("1", CloudEvent("1", """{"id":"a","amount":1}""")),
            Entry("2", CloudEvent("2", """{"id":"b","amount":2,"mode":"retry"}""")),
            Entry("3", CloudEvent("3", """{"id":"c","amount":3,"mode":"drop"}""")),
            Entry("4", CloudEvent("4", "\"not a ledger event\"")),                          // data of the wrong shape
            Entry("5", CloudEvent("5", "\"aGk=\"", "text/plain")),                          // not JSON data
            Entry("6", """{"id":"raw","amount":6}""", "application/json"),                 // raw JSON payload
            Entry("7", "\"aGVsbG8=\"", "application/octet-stream"),                        // raw bytes, base64
            Entry("8", """{"specversion":"1.0","id":"x","source":"s","type":"t"}"""))));   // a CloudEvent without data

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonAssert.Equal("""
            {"statuses":[{"entryId":"1","status":"SUCCESS"},{"entryId":"2","status":"RETRY"},{"entryId":"3","status":"DROP"},
                         {"entryId":"6","status":"SUCCESS"},
                         {"entryId":"4","status":"DROP"},{"entryId":"5","status":"DROP"},{"entryId":"7","status":"DROP"},{"entryId":"8","status":"DROP"}]}
            """, await response.Content.ReadAsStringAsync());
        var message = Assert.Single(seen);
        Assert.Equal(["1", "2", "3", "6"], message.Entries.Select(e => e.EntryId));
        Assert.Equal(new LedgerEvent("a", 1), message.Entries[0].Event);
        Assert.Equal(new LedgerEvent("raw", 6), message.Entries[3].Event);
        Assert.Equal("application/cloudevents+json", message.Entries[0].ContentType);
        Assert.Equal("v", message.Entries[0].Metadata["k"]);
        Assert.Equal(("pubsub", "orders"), (message.PubsubName, message.Topic));
    }

    [Fact]
    public async Task HandleAsync_DataBase64WithJsonContentType_Read()
    {
        var seen = new List<BulkSubscribeMessage<LedgerEvent>>();
        await using var app = await StartAsync(seen);
        var base64 = Convert.ToBase64String("""{"id":"b64","amount":5}"""u8.ToArray());

        var response = await app.Client.PostAsync("/orders", Json(Body(Entry("1",
            $$"""{"specversion":"1.0","id":"x","source":"s","type":"t","datacontenttype":"application/json","data_base64":"{{base64}}"}"""))));

        JsonAssert.Equal("""{"statuses":[{"entryId":"1","status":"SUCCESS"}]}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(new LedgerEvent("b64", 5), Assert.Single(Assert.Single(seen).Entries).Event);
    }

    [Fact]
    public async Task HandleEachAsync_PerEntryHandler_StatusesInDeliveryOrder()
    {
        await using var app = await StartAsync();
        var response = await app.Client.PostAsync("/each", Json(Body(
            Entry("a", CloudEvent("a", """{"id":"a","amount":1}""")),
            Entry("b", CloudEvent("b", """{"id":"b","amount":0}""")),
            Entry("c", CloudEvent("c", "null")))));
        Assert.Equal("""{"statuses":[{"entryId":"a","status":"SUCCESS"},{"entryId":"b","status":"RETRY"},{"entryId":"c","status":"DROP"}]}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HandleAsync_OnlyMalformedEntries_HandlerNotCalledAllDropped()
    {
        var seen = new List<BulkSubscribeMessage<LedgerEvent>>();
        await using var app = await StartAsync(seen);
        var response = await app.Client.PostAsync("/orders", Json(Body(Entry("1", "42", "application/json"))));
        Assert.Equal("""{"statuses":[{"entryId":"1","status":"DROP"}]}""", await response.Content.ReadAsStringAsync());
        Assert.Empty(seen);
    }

    [Fact]
    public async Task HandleAsync_NoEntries_EmptyStatuses()
    {
        await using var app = await StartAsync();
        var response = await app.Client.PostAsync("/orders", Json(Body()));
        Assert.Equal("""{"statuses":[]}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"entries":{}}""")]
    [InlineData("""{"entries":[null]}""")]
    [InlineData("""{"entries":[{"event":{}}]}""")]
    [InlineData("""{"entries":[{"entryId":"","event":{}}]}""")]
    [InlineData("""{"entries":[{"entryId":"1","event":{}},{"entryId":"1","event":{}}]}""")]
    [InlineData("""{"entries":[{"entryId":7,"event":{}}]}""")]
    [InlineData("""{"metadata":{"k":1},"entries":[]}""")]
    public async Task HandleAsync_MalformedBody_400WithErrorBody(string body)
    {
        var seen = new List<BulkSubscribeMessage<LedgerEvent>>();
        await using var app = await StartAsync(seen);
        var response = await app.Client.PostAsync("/orders", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_MALFORMED_BULK_MESSAGE", error.RootElement.GetProperty("errorCode").GetString());
        Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("message").GetString()));
        Assert.Empty(seen);
    }

    [Fact]
    public async Task HandleAsync_NotJsonContentType_415()
    {
        await using var app = await StartAsync();
        var response = await app.Client.PostAsync("/orders", Json(Body(), "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("ERR_MALFORMED_BULK_MESSAGE", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UseCloudEvents_BulkDeliveryEvenLabelledCloudEvents_LeftForTheBulkReader()
    {
        var seen = new List<BulkSubscribeMessage<LedgerEvent>>();
        await using var app = await StartAsync(seen);
        var body = Body(Entry("1", CloudEvent("1", """{"id":"a","amount":1}""")));

        foreach (var contentType in new[] { "application/json", "application/cloudevents+json" })
        {
            var response = await app.Client.PostAsync("/orders", Json(body, contentType));
            Assert.Equal("""{"statuses":[{"entryId":"1","status":"SUCCESS"}]}""", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void ResponseWire_Serialized_MatchesDocumentedBytes()
    {
        var wire = new BulkSubscribeResponseWire
        {
            Statuses = [new BulkSubscribeResponseEntryWire { EntryId = "1", Status = "SUCCESS" }, new BulkSubscribeResponseEntryWire { EntryId = "2", Status = "RETRY" }],
        };
        Assert.Equal("""{"statuses":[{"entryId":"1","status":"SUCCESS"},{"entryId":"2","status":"RETRY"}]}""",
            JsonSerializer.Serialize(wire, DaprWireContext.Default.BulkSubscribeResponseWire));
    }

    [Fact]
    public void RequestWire_DocumentedBody_Parsed()
    {
        var wire = JsonSerializer.Deserialize(Body(Entry("e1", CloudEvent("1", """{"id":"a","amount":1}"""))), DaprWireContext.Default.BulkSubscribeRequestWire)!;
        Assert.Equal(("b-1", "pubsub", "orders", "com.dapr.event.sent.bulk"), (wire.Id, wire.PubsubName, wire.Topic, wire.Type));
        var entry = Assert.Single(wire.Entries!)!;
        Assert.Equal(("e1", "application/cloudevents+json", "v"), (entry.EntryId, entry.ContentType, entry.Metadata!["k"]));
        Assert.Equal("ce-1", entry.Event.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","id":"x","data":{"id":"a","amount":1}}""", "", true)]               // no contentType: a CloudEvent by its specversion
    [InlineData("""{"specversion":"1.0","id":"x","data":{"id":"a","amount":1}}""", "application/json", true)]
    [InlineData("""{"id":"a","amount":1}""", "application/json; charset=utf-8", true)]
    [InlineData("""{"id":"a","amount":1}""", "text/plain", false)]
    [InlineData("""[1,2]""", "application/json", false)]
    [InlineData("""{"specversion":"1.0","data_base64":"%%%","datacontenttype":"application/json"}""", "application/cloudevents+json", false)]
    [InlineData("\"x\"", "application/cloudevents+json", false)]
    public void TryReadEvent_Shapes_ReadOrRefusedWithReason(string evt, string contentType, bool readable)
    {
        using var document = JsonDocument.Parse(evt);
        var ok = BulkSubscribeReader.TryReadEvent(document.RootElement, contentType, TestAppJson.Default.LedgerEvent, out var value, out var reason);
        Assert.Equal(readable, ok);
        if (readable)
        {
            Assert.Equal(new LedgerEvent("a", 1), value);
        }
        else
        {
            Assert.NotEqual("", reason);
        }
    }
}
