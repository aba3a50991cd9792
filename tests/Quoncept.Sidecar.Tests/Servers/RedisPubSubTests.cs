using System.Net;
using System.Text;
using Quoncept.Sidecar.Tests.Harness;
using static Quoncept.Sidecar.Tests.Functional.StateApiTests;

namespace Quoncept.Sidecar.Tests.Servers;

/// <summary>pubsub.redis (Redis Streams) against a real redis-server: delivery, acknowledgement only after success, redelivery.</summary>
public sealed class RedisPubSubTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private readonly string _topic = "orders-" + Guid.NewGuid().ToString("N")[..8];

    private string Subscription => $$"""[{"pubsubname":"pubsub","topic":"{{_topic}}","route":"/orders"}]""";

    private string Components(string extra = "") => RedisFixture.PubSubComponent(redis.Server.Host, extra);

    private const string FastRedelivery = """
            - name: processingTimeout
              value: "1s"
            - name: redeliverInterval
              value: "300ms"
        """;

    [Fact]
    public async Task Publish_DeliveredAsCloudEvent_AcknowledgedAfterSuccess()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = Subscription;
        await using var sidecar = await TestSidecar.StartAsync("shop", app, Components());

        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1.0/publish/pubsub/{_topic}") { Content = Json("""{"id":7}""") };
        request.Headers.TryAddWithoutValidation("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.SendAsync(request)).StatusCode);
        await sidecar.Client.PostAsync($"v1.0/publish/pubsub/{_topic}", new StringContent("hello", Encoding.UTF8, "text/plain"));

        var deliveries = await app.WaitForAsync(r => r.Path == "/orders", 2);
        Assert.Equal(2, deliveries.Count);
        var json = deliveries.Select(d => d.CloudEvent!.Value).Single(e => e.GetProperty("data").ValueKind == System.Text.Json.JsonValueKind.Object);
        Assert.Equal(7, json.GetProperty("data").GetProperty("id").GetInt32());
        Assert.Equal("shop", json.GetProperty("source").GetString());
        Assert.Contains("0af7651916cd43dd8448eb211c80319c", deliveries.First(d => d.Body.Contains("\"id\":7")).Headers["traceparent"]);
        Assert.Contains(deliveries, d => d.CloudEvent!.Value.GetProperty("data").ToString() == "hello");

        // daprd's layout: one stream per topic, entries {data, metadata}, the consumer group named after the app.
        Assert.Equal(":2\r\n", await redis.Server.CommandAsync("XLEN", _topic));
        await WaitUntilAsync(async () => (await redis.Server.CommandAsync("XPENDING", _topic, "shop")).StartsWith("*4\r\n:0\r\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EntryWrittenAsDaprdWritesIt_Delivered()
    {
        await redis.Server.CommandAsync("XADD", _topic, "*", "data",
            """{"specversion":"1.0","id":"from-daprd","source":"other","type":"com.dapr.event.sent","datacontenttype":"application/json","data":{"n":1}}""");
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = Subscription;
        await using var sidecar = await TestSidecar.StartAsync("reader", app, Components());

        var delivery = Assert.Single(await app.WaitForAsync(r => r.Path == "/orders", 1));
        Assert.Equal("from-daprd", delivery.CloudEvent!.Value.GetProperty("id").GetString());
    }

    [Fact]
    public async Task AppNeverSucceeds_MessageStaysPending_RedeliveredUntilSuccess()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = Subscription;
        var succeed = false;
        app.Responder = (_, _) => Volatile.Read(ref succeed) ? (200, """{"status":"SUCCESS"}""") : (200, """{"status":"RETRY"}""");
        await using var sidecar = await TestSidecar.StartAsync("picky", app, Components(FastRedelivery));

        await sidecar.Client.PostAsync($"v1.0/publish/pubsub/{_topic}", Json("""{"n":1}"""));
        // The harness allows 3 attempts; more than that means the broker handed the message out again.
        Assert.Equal(6, (await app.WaitForAsync(r => r.Path == "/orders", 6, TimeSpan.FromSeconds(15))).Count);
        Assert.StartsWith("*4\r\n:1\r\n", await redis.Server.CommandAsync("XPENDING", _topic, "picky"));

        Volatile.Write(ref succeed, true);
        await WaitUntilAsync(async () => (await redis.Server.CommandAsync("XPENDING", _topic, "picky")).StartsWith("*4\r\n:0\r\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RuntimeStoppedBeforeSuccess_NextRuntimeDeliversIt()
    {
        await using (var failing = await TestApp.StartAsync())
        {
            failing.Subscriptions = Subscription;
            failing.Responder = (_, _) => (500, "");
            await using var first = await TestSidecar.StartAsync("restarted", failing, Components(FastRedelivery));
            await first.Client.PostAsync($"v1.0/publish/pubsub/{_topic}", Json("""{"n":42}"""));
            Assert.NotEmpty(await failing.WaitForAsync(r => r.Path == "/orders", 1));
        }

        await using var app = await TestApp.StartAsync();
        app.Subscriptions = Subscription;
        await using var second = await TestSidecar.StartAsync("restarted", app, Components(FastRedelivery));

        var delivery = (await app.WaitForAsync(r => r.Path == "/orders", 1, TimeSpan.FromSeconds(15))).First();
        Assert.Equal(42, delivery.CloudEvent!.Value.GetProperty("data").GetProperty("n").GetInt32());
        await WaitUntilAsync(async () => (await redis.Server.CommandAsync("XPENDING", _topic, "restarted")).StartsWith("*4\r\n:0\r\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoApps_EachGroupGetsEveryMessage()
    {
        await using var one = await TestApp.StartAsync();
        await using var two = await TestApp.StartAsync();
        one.Subscriptions = two.Subscriptions = Subscription;
        await using var sidecar = await TestSidecar.StartAsync([("one", one), ("two", two)], Components());

        for (var i = 0; i < 5; i++)
        {
            await sidecar.Client.PostAsync($"v1.0/publish/pubsub/{_topic}", Json($$"""{"n":{{i}}}"""));
        }

        Assert.Equal(5, (await one.WaitForAsync(r => r.Path == "/orders", 5)).Count);
        Assert.Equal(5, (await two.WaitForAsync(r => r.Path == "/orders", 5)).Count);
    }

    [Fact]
    public async Task Unsubscribe_OneOfTwoGroups_OtherStillWokenAtOnce()
    {
        var definition = RedisFailureTests.Component("pubsub.redis", ("redisHost", redis.Server.Host)) with { Name = "pubsub" };
        // Polling is slowed to a minute: a message can only arrive in time through the wake-up.
        await using var slow = Quoncept.Sidecar.PubSub.RedisStreamsPubSub.Create(definition, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        slow.PollInterval = TimeSpan.FromMinutes(1);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var staying = slow.Subscribe(_topic, "staying", (m, _) => { received.TrySetResult(Encoding.UTF8.GetString(m.Data.Span)); return ValueTask.CompletedTask; }, 4);
        var leaving = slow.Subscribe(_topic, "leaving", (_, _) => ValueTask.CompletedTask, 4);
        await Task.Delay(500);
        await leaving.DisposeAsync();

        await slow.PublishAsync(new Quoncept.Sidecar.PubSub.PubSubMessage(_topic, Encoding.UTF8.GetBytes("{\"n\":1}"), "application/cloudevents+json", false, null), default);

        Assert.Equal("{\"n\":1}", await received.Task.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 15 s");
            await Task.Delay(50);
        }
    }
}
