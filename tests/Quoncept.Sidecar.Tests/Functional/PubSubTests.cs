using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Quoncept.Sidecar.Tests.Harness;
using static Quoncept.Sidecar.Tests.Functional.StateApiTests;

namespace Quoncept.Sidecar.Tests.Functional;

public sealed class PubSubTests
{
    private const string OrdersSubscription = """[{"pubsubname":"pubsub","topic":"orders","route":"/orders"}]""";

    [Fact]
    public async Task Publish_Json_DeliveredAsCloudEventWithTraceparent()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = OrdersSubscription;
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1.0/publish/pubsub/orders") { Content = Json("""{"id":7}""") };
        request.Headers.TryAddWithoutValidation("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.SendAsync(request)).StatusCode);

        var delivery = Assert.Single(await app.WaitForAsync(r => r.Path == "/orders", 1));
        Assert.StartsWith("application/cloudevents+json", delivery.Headers["Content-Type"]);
        var evt = delivery.CloudEvent!.Value;
        Assert.Equal("1.0", evt.GetProperty("specversion").GetString());
        Assert.Equal("shop", evt.GetProperty("source").GetString());
        Assert.Equal("orders", evt.GetProperty("topic").GetString());
        Assert.Equal("pubsub", evt.GetProperty("pubsubname").GetString());
        Assert.Equal("com.dapr.event.sent", evt.GetProperty("type").GetString());
        Assert.StartsWith("application/json", evt.GetProperty("datacontenttype").GetString());
        Assert.Equal(7, evt.GetProperty("data").GetProperty("id").GetInt32());
        Assert.Contains("0af7651916cd43dd8448eb211c80319c", evt.GetProperty("traceparent").GetString());
        // The delivery runs in a span of the same trace, so the app sees the publisher's trace id.
        Assert.Contains("0af7651916cd43dd8448eb211c80319c", delivery.Headers["traceparent"]);
    }

    [Fact]
    public async Task Publish_ChunkedBodyInPiecesThenOversized_WholeBodyPublishedThen413()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = OrdersSubscription;
        await using var sidecar = await TestSidecar.StartAsync("shop", app);
        // No Content-Length (chunked) and written in small pieces: the body is read to its end before it is published.
        var text = "{\"lines\":[" + string.Join(',', Enumerable.Range(0, 20_000).Select(i => $"\"line {i}\"")) + "]}";
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "v1.0/publish/pubsub/orders") { Content = new PiecewiseContent(Encoding.UTF8.GetBytes(text), 1000) };
        chunked.Content.Headers.ContentType = new("application/json");

        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.SendAsync(chunked)).StatusCode);
        var delivery = Assert.Single(await app.WaitForAsync(r => r.Path == "/orders", 1));
        Assert.Equal(JsonDocument.Parse(text).RootElement.GetRawText(), delivery.CloudEvent!.Value.GetProperty("data").GetRawText());

        // Over the runtime's body limit (4 MiB by default) without a declared length: refused while it is read.
        using var oversized = new HttpRequestMessage(HttpMethod.Post, "v1.0/publish/pubsub/orders") { Content = new PiecewiseContent(new byte[5 * 1024 * 1024], 64 * 1024) };
        // The runtime answers 413 and closes the connection while the client is still writing; which one the client
        // meets first is timing: the answer, or a broken pipe under its write (then it never reads the 413).
        try
        {
            var refused = await sidecar.Client.SendAsync(oversized);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
            Assert.Contains("ERR_MALFORMED_REQUEST", await refused.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
        }
        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.GetAsync("v1.0/healthz")).StatusCode);
    }

    /// <summary>A body of unknown length (sent chunked), written a piece at a time.</summary>
    private sealed class PiecewiseContent(byte[] body, int piece) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += piece)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(piece, body.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task Publish_TextAndBinaryAndCloudEvent_KeepTheirShapes()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = OrdersSubscription;
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        await sidecar.Client.PostAsync("v1.0/publish/pubsub/orders", new StringContent("hello", Encoding.UTF8, "text/plain"));
        await sidecar.Client.PostAsync("v1.0/publish/pubsub/orders", new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("application/octet-stream") } });
        await sidecar.Client.PostAsync("v1.0/publish/pubsub/orders", new StringContent(
            """{"specversion":"1.0","id":"my-id","source":"elsewhere","type":"my.type","datacontenttype":"application/json","data":{"a":1}}""",
            Encoding.UTF8, "application/cloudevents+json"));

        var deliveries = await app.WaitForAsync(r => r.Path == "/orders", 3);
        Assert.Equal(3, deliveries.Count);
        var events = deliveries.Select(d => d.CloudEvent!.Value).ToList();
        Assert.Contains(events, e => e.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String && d.GetString() == "hello");
        Assert.Contains(events, e => e.TryGetProperty("data_base64", out var d) && d.GetString() == Convert.ToBase64String([1, 2, 3]));
        var custom = Assert.Single(events, e => e.GetProperty("id").GetString() == "my-id");
        Assert.Equal("elsewhere", custom.GetProperty("source").GetString());
        Assert.Equal("my.type", custom.GetProperty("type").GetString());
        Assert.Equal("orders", custom.GetProperty("topic").GetString());
    }

    [Fact]
    public async Task Publish_ExpiredTtl_NotDelivered()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = OrdersSubscription;
        // Deliveries are slow enough (first attempt fails) that the message expires while retrying.
        app.Responder = (r, attempt) => attempt == 1 ? (500, "") : (200, "");
        await using var sidecar = await TestSidecar.StartAsync([("shop", app)], adjust: s => s with
        {
            Delivery = s.Delivery with { InitialBackoff = TimeSpan.FromMilliseconds(1500), MaxBackoff = TimeSpan.FromMilliseconds(1500) },
        });
        var response = await sidecar.Client.PostAsync("v1.0/publish/pubsub/orders?metadata.ttlInSeconds=1", Json("""{"x":1}"""));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var first = Assert.Single(await app.WaitForAsync(r => r.Path == "/orders", 1));
        Assert.True(first.CloudEvent!.Value.TryGetProperty("expiration", out _));
        await Task.Delay(2500);
        Assert.Single(app.Requests, r => r.Path == "/orders");
    }

    [Fact]
    public async Task Delivery_Non2xxThenSuccess_RetriedUntilDelivered()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = OrdersSubscription;
        app.Responder = (_, attempt) => attempt < 3 ? (503, "") : (200, """{"status":"SUCCESS"}""");
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        await sidecar.PublishAsync("orders", new { n = 1 });

        var attempts = await app.WaitForAsync(r => r.Path == "/orders", 3);
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => a.Key).Distinct());
        await Task.Delay(300);
        Assert.Equal(3, app.Requests.Count(r => r.Path == "/orders"));
    }

    [Fact]
    public async Task Delivery_RetryStatus_Retried()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = OrdersSubscription;
        app.Responder = (_, attempt) => attempt == 1 ? (200, """{"status":"RETRY"}""") : (200, "");
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        await sidecar.PublishAsync("orders", new { n = 1 });

        Assert.Equal(2, (await app.WaitForAsync(r => r.Path == "/orders", 2)).Count);
    }

    [Theory]
    // daprd drops a 404 answer without dead-lettering it, even with a dead-letter topic (dapr/dapr#9400).
    [InlineData(true, 404, "")]
    // A DROP answer with no dead-letter topic declared is simply dropped.
    [InlineData(false, 200, """{"status":"DROP"}""")]
    public async Task Delivery_DroppedWithoutDeadLetter_NotRetriedNorForwarded(bool declareDeadLetterTopic, int status, string body)
    {
        await using var app = await TestApp.StartAsync();
        var deadLetter = declareDeadLetterTopic ? ",\"deadLetterTopic\":\"poison\"" : "";
        app.Subscriptions = $$"""[{"pubsubname":"pubsub","topic":"orders","route":"/orders"{{deadLetter}}},{"pubsubname":"pubsub","topic":"poison","route":"/poison"}]""";
        app.Responder = (r, _) => r.Path == "/orders" ? (status, body) : (200, "");
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        await sidecar.PublishAsync("orders", new { n = 1 });

        await app.WaitForAsync(r => r.Path == "/orders", 1);
        await Task.Delay(500);
        Assert.Single(app.Requests, r => r.Path == "/orders");
        Assert.DoesNotContain(app.Requests, r => r.Path == "/poison");
    }

    [Fact]
    public async Task Delivery_DropWithDeadLetterTopic_ForwardedOnceNotRetried()
    {
        // daprd sends a DROP answer to the subscription's dead-letter topic (dapr/dapr#6282, #7097).
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """[{"pubsubname":"pubsub","topic":"orders","route":"/orders","deadLetterTopic":"poison"},{"pubsubname":"pubsub","topic":"poison","route":"/poison"}]""";
        app.Responder = (r, _) => r.Path == "/orders" ? (200, """{"status":"DROP"}""") : (200, "");
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        await sidecar.PublishAsync("orders", new { n = 9 });

        var dead = Assert.Single(await app.WaitForAsync(r => r.Path == "/poison", 1));
        Assert.Equal(9, dead.CloudEvent!.Value.GetProperty("data").GetProperty("n").GetInt32());
        await Task.Delay(500);
        Assert.Single(app.Requests, r => r.Path == "/orders");
        Assert.Single(app.Requests, r => r.Path == "/poison");
    }

    [Fact]
    public async Task Delivery_RetriesExhausted_GoesToDeadLetterTopic()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """[{"pubsubname":"pubsub","topic":"orders","route":"/orders","deadLetterTopic":"poison"},{"pubsubname":"pubsub","topic":"poison","route":"/poison"}]""";
        app.Responder = (r, _) => r.Path == "/orders" ? (500, "") : (200, "");
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        await sidecar.PublishAsync("orders", new { n = 42 });

        var dead = Assert.Single(await app.WaitForAsync(r => r.Path == "/poison", 1));
        Assert.Equal(42, dead.CloudEvent!.Value.GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal(3, app.Requests.Count(r => r.Path == "/orders"));
    }

    [Fact]
    public async Task Delivery_AppDown_RetriedThenDeadLettered()
    {
        await using var receiver = await TestApp.StartAsync();
        receiver.Subscriptions = """[{"pubsubname":"pubsub","topic":"poison","route":"/poison"}]""";
        await using var sidecar = await TestSidecar.StartAsync([("receiver", receiver)], extraFiles: [("sub.yaml", """
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: to-nowhere
            spec:
              pubsubname: pubsub
              topic: orders
              routes:
                default: /orders
              deadLetterTopic: poison
            scopes: [receiver]
            """)]);
        receiver.Responder = (r, _) => r.Path == "/orders" ? (502, "") : (200, "");

        await sidecar.PublishAsync("orders", new { n = 5 });

        Assert.Single(await receiver.WaitForAsync(r => r.Path == "/poison", 1));
    }

    [Fact]
    public async Task Routes_RulesPickPathDefaultCatchesRest()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """
            [{"pubsubname":"pubsub","topic":"items","routes":{"rules":[
              {"match":"event.type == \"widget\"","path":"/widgets"},
              {"match":"event.data.size > 10 && event.data.kind == 'big'","path":"/big"}],
              "default":"/other"}}]
            """;
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        await sidecar.Client.PostAsync("v1.0/publish/pubsub/items", new StringContent(
            """{"specversion":"1.0","id":"w1","source":"s","type":"widget","data":{}}""", Encoding.UTF8, "application/cloudevents+json"));
        await sidecar.PublishAsync("items", new { size = 20, kind = "big" });
        await sidecar.PublishAsync("items", new { size = 5, kind = "big" });

        Assert.Single(await app.WaitForAsync(r => r.Path == "/widgets", 1));
        Assert.Single(await app.WaitForAsync(r => r.Path == "/big", 1));
        Assert.Single(await app.WaitForAsync(r => r.Path == "/other", 1));
    }

    [Fact]
    public async Task Subscribe_UnsupportedRule_RejectedOthersStillLoad()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """
            [{"pubsubname":"pubsub","topic":"bad","routes":{"rules":[{"match":"has(event.data.x)","path":"/bad"}]}},
             {"pubsubname":"pubsub","topic":"good","route":"/good"}]
            """;
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        var metadata = JsonDocument.Parse(await sidecar.Client.GetStringAsync("v1.0/metadata")).RootElement;
        var topics = metadata.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetProperty("topic").GetString()).ToList();
        Assert.Equal(["good"], topics);
        await sidecar.PublishAsync("good", new { });
        Assert.Single(await app.WaitForAsync(r => r.Path == "/good", 1));
    }

    [Fact]
    public async Task ConsumerGroup_ReplicasOfOneApp_Compete()
    {
        await using var one = await TestApp.StartAsync();
        await using var two = await TestApp.StartAsync();
        one.Subscriptions = two.Subscriptions = OrdersSubscription;
        await using var sidecar = await TestSidecar.StartAsync([("shop", one), ("shop", two)]);

        for (var i = 0; i < 40; i++)
        {
            await sidecar.PublishAsync("orders", new { i });
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (one.Requests.Count + two.Requests.Count < 40 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        await Task.Delay(200);
        Assert.Equal(40, one.Requests.Count + two.Requests.Count);
        Assert.Equal(40, one.Requests.Concat(two.Requests).Select(r => r.Key).Distinct().Count());
        Assert.NotEmpty(one.Requests);
        Assert.NotEmpty(two.Requests);
    }

    [Fact]
    public async Task ConsumerGroup_UuidTemplate_EveryReplicaGetsEveryMessage()
    {
        await using var one = await TestApp.StartAsync();
        await using var two = await TestApp.StartAsync();
        one.Subscriptions = two.Subscriptions = """[{"pubsubname":"pubsub","topic":"live","route":"/live","metadata":{"consumerID":"{uuid}"}}]""";
        await using var sidecar = await TestSidecar.StartAsync([("gateway", one), ("gateway", two)]);

        for (var i = 0; i < 10; i++)
        {
            await sidecar.PublishAsync("live", new { i });
        }

        Assert.Equal(10, (await one.WaitForAsync(r => r.Path == "/live", 10)).Count);
        Assert.Equal(10, (await two.WaitForAsync(r => r.Path == "/live", 10)).Count);
    }

    [Fact]
    public async Task ConsumerGroup_ComponentConsumerIdUuid_EveryReplicaGetsEveryMessage()
    {
        await using var one = await TestApp.StartAsync();
        await using var two = await TestApp.StartAsync();
        one.Subscriptions = two.Subscriptions = OrdersSubscription;
        const string components = """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.in-memory
              version: v1
              metadata:
                - name: consumerID
                  value: "{appID}-{uuid}"
            """;
        await using var sidecar = await TestSidecar.StartAsync([("gateway", one), ("gateway", two)], components);

        for (var i = 0; i < 5; i++)
        {
            await sidecar.PublishAsync("orders", new { i });
        }

        Assert.Equal(5, (await one.WaitForAsync(r => r.Path == "/orders", 5)).Count);
        Assert.Equal(5, (await two.WaitForAsync(r => r.Path == "/orders", 5)).Count);
    }

    [Fact]
    public async Task ConsumerGroup_DifferentApps_EachGetsEveryMessage()
    {
        await using var one = await TestApp.StartAsync();
        await using var two = await TestApp.StartAsync();
        one.Subscriptions = two.Subscriptions = OrdersSubscription;
        await using var sidecar = await TestSidecar.StartAsync([("billing", one), ("shipping", two)]);

        for (var i = 0; i < 5; i++)
        {
            await sidecar.PublishAsync("orders", new { i });
        }

        Assert.Equal(5, (await one.WaitForAsync(r => r.Path == "/orders", 5)).Count);
        Assert.Equal(5, (await two.WaitForAsync(r => r.Path == "/orders", 5)).Count);
    }

    [Fact]
    public async Task BulkPublish_AllEntriesDelivered()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = OrdersSubscription;
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        var response = await sidecar.Client.PostAsync("v1.0-alpha1/publish/bulk/pubsub/orders", Json("""
            [{"entryId":"1","event":{"n":1},"contentType":"application/json"},{"entryId":"2","event":"two","contentType":"text/plain"}]
            """));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var events = (await app.WaitForAsync(r => r.Path == "/orders", 2)).Select(r => r.CloudEvent!.Value).ToList();
        Assert.Contains(events, e => e.GetProperty("data").ValueKind == JsonValueKind.Object);
        Assert.Contains(events, e => e.GetProperty("data").ValueKind == JsonValueKind.String && e.GetProperty("data").GetString() == "two");
    }

    [Fact]
    public async Task Publish_BadInput_ClearErrors()
    {
        await using var sidecar = await TestSidecar.StartAsync("shop");
        await AssertError(await sidecar.Client.PostAsync("v1.0/publish/nosuch/orders", Json("{}")), HttpStatusCode.NotFound, "ERR_PUBSUB_NOT_FOUND");
        await AssertError(await sidecar.Client.PostAsync("v1.0/publish/pubsub/orders", new StringContent("{oops", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "ERR_PUBSUB_CLOUD_EVENTS_SER");
        await AssertError(await sidecar.Client.PostAsync("v1.0/publish/pubsub/orders?metadata.ttlInSeconds=soon", Json("{}")),
            HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST");
        await AssertError(await sidecar.Client.PostAsync("v1.0-alpha1/publish/bulk/pubsub/orders", Json("""[{"entryId":"1","event":1,"contentType":"application/json"},{"entryId":"1","event":2,"contentType":"application/json"}]""")),
            HttpStatusCode.BadRequest, "ERR_PUBSUB_EVENTS_SER");
    }

    [Fact]
    public async Task BulkSubscribe_EntriesBatchedAndPerEntryStatusHonoured()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """
            [{"pubsubname":"pubsub","topic":"batch","route":"/batch","deadLetterTopic":"batch-dead",
              "bulkSubscribe":{"enabled":true,"maxMessagesCount":10,"maxAwaitDurationMs":50}},
             {"pubsubname":"pubsub","topic":"batch-dead","route":"/dead"}]
            """;
        // Every entry whose event says poison is answered RETRY (so it ends dead-lettered); the rest SUCCESS.
        app.Responder = (r, _) =>
        {
            if (r.Path != "/batch")
            {
                return (200, "");
            }
            var entries = JsonDocument.Parse(r.Body).RootElement.GetProperty("entries").EnumerateArray();
            var statuses = entries.Select(e => new
            {
                entryId = e.GetProperty("entryId").GetString(),
                status = e.GetProperty("event").GetProperty("data").GetProperty("poison").GetBoolean() ? "RETRY" : "SUCCESS",
            });
            return (200, JsonSerializer.Serialize(new { statuses }));
        };
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        for (var i = 0; i < 20; i++)
        {
            await sidecar.PublishAsync("batch", new { i, poison = i == 7 });
        }

        var dead = Assert.Single(await app.WaitForAsync(r => r.Path == "/dead", 1));
        Assert.Equal(7, dead.CloudEvent!.Value.GetProperty("data").GetProperty("i").GetInt32());
        var batches = app.Requests.Where(r => r.Path == "/batch").ToList();
        var entries = batches.SelectMany(b => JsonDocument.Parse(b.Body).RootElement.GetProperty("entries").EnumerateArray()).ToList();
        Assert.Equal(19 + 3, entries.Count);
        Assert.True(batches.Count < entries.Count, "entries travel together in bulk requests");
        var first = JsonDocument.Parse(batches[0].Body).RootElement;
        Assert.Equal("batch", first.GetProperty("topic").GetString());
        Assert.Equal("pubsub", first.GetProperty("pubsubname").GetString());
        Assert.Equal("application/cloudevents+json", first.GetProperty("entries")[0].GetProperty("contentType").GetString());
    }

    private static int[] BulkEntries(RecordedRequest request) =>
        JsonDocument.Parse(request.Body).RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("event").GetProperty("data").GetProperty("i").GetInt32()).ToArray();

    private static (int, string) AllSucceeded(RecordedRequest request)
    {
        var statuses = JsonDocument.Parse(request.Body).RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => new { entryId = e.GetProperty("entryId").GetString(), status = "SUCCESS" });
        return (200, JsonSerializer.Serialize(new { statuses }));
    }

    [Fact]
    public async Task BulkSubscribe_ZeroAwaitBurst_FewerRequestsInPublishOrderAllAcknowledged()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """
            [{"pubsubname":"pubsub","topic":"greedy","route":"/greedy","bulkSubscribe":{"enabled":true,"maxMessagesCount":100,"maxAwaitDurationMs":0}}]
            """;
        using var published = new ManualResetEventSlim();
        app.Responder = (r, _) =>
        {
            if (r.Path != "/greedy")
            {
                return (200, "");
            }
            // The first request is held until the whole burst is published; what arrives meanwhile queues for the next.
            published.Wait(TimeSpan.FromSeconds(10));
            return AllSucceeded(r);
        };
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        // One bulk publish puts the burst on the topic at once, in order, for the subscription to take as it can.
        const int Count = 100;
        var burst = string.Join(",", Enumerable.Range(0, Count).Select(i => $$"""{"entryId":"{{i}}","event":{"i":{{i}}},"contentType":"application/json"}"""));
        var publish = await sidecar.Client.PostAsync("v1.0-alpha1/publish/bulk/pubsub/greedy", Json($"[{burst}]"));
        Assert.True(publish.IsSuccessStatusCode, await publish.Content.ReadAsStringAsync());
        published.Set();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (app.Requests.Where(r => r.Path == "/greedy").Sum(r => BulkEntries(r).Length) < Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        await Task.Delay(300);
        var batches = app.Requests.Where(r => r.Path == "/greedy").ToList();
        Assert.Equal(Enumerable.Range(0, Count), batches.SelectMany(BulkEntries));   // each once, acknowledged (no redelivery), in publish order
        Assert.True(batches.Count < Count / 2, $"{Count} events came in {batches.Count} requests; with maxAwaitDurationMs 0 what queues during a request goes in the next one");
    }

    [Fact]
    public async Task BulkSubscribe_ZeroAwaitSingleEvent_SentAtOnceAlone()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """
            [{"pubsubname":"pubsub","topic":"greedy","route":"/greedy","bulkSubscribe":{"enabled":true,"maxMessagesCount":100,"maxAwaitDurationMs":0}}]
            """;
        app.Responder = (r, _) => r.Path == "/greedy" ? AllSucceeded(r) : (200, "");
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        await sidecar.PublishAsync("greedy", new { i = 7 });

        var request = Assert.Single(await app.WaitForAsync(r => r.Path == "/greedy", 1));
        Assert.Equal([7], BulkEntries(request));
    }

    [Fact]
    public async Task SubscriptionsOf_ReadWhileAnInstanceSubscribesAgain_EveryReadIsAWholeList()
    {
        // GET /v1.0/metadata lists an instance's subscriptions while they may still be being added (an app that comes
        // back healthy subscribes again, topic by topic): each read must be a copy, not the list being filled.
        var many = "[" + string.Join(",", Enumerable.Range(0, 300).Select(i => $$"""{"pubsubname":"pubsub","topic":"t{{i}}","route":"/t{{i}}"}""")) + "]";
        var app = await TestApp.StartAsync();
        app.Subscriptions = many;
        await using var sidecar = await TestSidecar.StartAsync("shop", app);
        var instance = sidecar.Runtime.Apps.All[0];
        var port = app.Port;
        await app.DisposeAsync();
        await Until(() => sidecar.Runtime.Subscriptions.SubscriptionsOf(instance).Count == 0, "unsubscribed once unhealthy");

        using var done = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                foreach (var spec in sidecar.Runtime.Subscriptions.SubscriptionsOf(instance)) Assert.NotNull(spec.Topic);
                reads++;
            }
        });
        await using var back = await TestApp.StartAsync(port);
        back.Subscriptions = many;
        await Until(() => sidecar.Runtime.Subscriptions.SubscriptionsOf(instance).Count == 300 || reader.IsCompleted, "subscribed again");
        await done.CancelAsync();
        await reader;
        Assert.True(reads > 0);
        Assert.Equal(300, sidecar.Runtime.Subscriptions.SubscriptionsOf(instance).Count);
    }

    [Fact]
    public async Task ConsumerGroup_ReplicaGoesAwayAndReturns_SubscriptionsFollowHealth()
    {
        var one = await TestApp.StartAsync();
        var two = await TestApp.StartAsync();
        one.Subscriptions = two.Subscriptions = OrdersSubscription;
        await using var sidecar = await TestSidecar.StartAsync([("shop", one), ("shop", two)]);
        var first = sidecar.Runtime.Apps.All[0];
        var port = one.Port;

        await one.DisposeAsync();
        await Until(() => !first.IsHealthy, "replica 1 seen as unhealthy");
        await Until(() => sidecar.Runtime.Subscriptions.SubscriptionsOf(first).Count == 0, "replica 1 unsubscribed");
        for (var i = 0; i < 10; i++)
        {
            await sidecar.PublishAsync("orders", new { i });
        }
        Assert.Equal(10, (await two.WaitForAsync(r => r.Path == "/orders", 10)).Count);

        await using var back = await TestApp.StartAsync(port);
        back.Subscriptions = OrdersSubscription;
        await Until(() => first.IsHealthy && sidecar.Runtime.Subscriptions.SubscriptionsOf(first).Count == 1, "replica 1 back and subscribed");
        await two.DisposeAsync();
        await Until(() => !sidecar.Runtime.Apps.All[1].IsHealthy, "replica 2 seen as unhealthy");
        for (var i = 0; i < 10; i++)
        {
            await sidecar.PublishAsync("orders", new { i });
        }
        Assert.Equal(10, (await back.WaitForAsync(r => r.Path == "/orders", 10)).Count);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }
}
