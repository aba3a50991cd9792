using System.Diagnostics;
using System.Net;
using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.Tests.Harness;
using Quoncept.Sidecar.Tests.Harness.Servers;
using static Quoncept.Sidecar.Tests.Functional.StateApiTests;

namespace Quoncept.Sidecar.Tests.Servers;

/// <summary>One real nats-server -js shared by a test class; tests use streams and topics of their own.</summary>
public sealed class NatsFixture : IAsyncLifetime
{
    internal NatsServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await NatsServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>pubsub.jetstream against a real nats-server: delivery, de-duplication, ack only after success, redelivery, start-up errors.</summary>
public sealed class JetStreamTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    private string Topic => "orders." + _id;

    private string Subscription => $$"""[{"pubsubname":"pubsub","topic":"{{Topic}}","route":"/orders"}]""";

    private string Components(string url, string extra = "") => $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: pubsub
        spec:
          type: pubsub.jetstream
          version: v1
          metadata:
            - name: natsURL
              value: "{url}"
            - name: streamName
              value: "S{_id}"
            - name: createStreamSubjects
              value: "orders.{_id}"
            - name: ackWait
              value: "1s"
        {extra}
        """;

    [Fact]
    public async Task Publish_Delivered_DuplicateCloudEventIdDroppedByJetStream()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = Subscription;
        await using var sidecar = await TestSidecar.StartAsync("shop", app, Components(nats.Server.Url));

        var cloudEvent = $$$"""{"specversion":"1.0","id":"once-{{{_id}}}","source":"s","type":"t","datacontenttype":"application/json","data":{"n":1}}""";
        for (var i = 0; i < 2; i++)
        {
            var response = await sidecar.Client.PostAsync($"v1.0/publish/pubsub/{Topic}", new StringContent(cloudEvent, Encoding.UTF8, "application/cloudevents+json"));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
        using var traced = new HttpRequestMessage(HttpMethod.Post, $"v1.0/publish/pubsub/{Topic}") { Content = Json("""{"n":2}""") };
        traced.Headers.TryAddWithoutValidation("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        await sidecar.Client.SendAsync(traced);

        var deliveries = await app.WaitForAsync(r => r.Path == "/orders", 3, TimeSpan.FromSeconds(3));
        Assert.Equal(2, deliveries.Count);
        Assert.Single(deliveries, d => d.CloudEvent!.Value.GetProperty("id").GetString() == $"once-{_id}");
        Assert.Contains("0af7651916cd43dd8448eb211c80319c", deliveries.Single(d => d.Body.Contains("\"n\":2")).Headers["traceparent"]);
        await WaitUntilAsync(async () => (await ConsumerAsync("shop")).NumAckPending == 0);
    }

    [Fact]
    public async Task AppRetries_Nakked_RedeliveredUntilSuccess()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = Subscription;
        var succeed = false;
        app.Responder = (_, _) => Volatile.Read(ref succeed) ? (200, "") : (200, """{"status":"RETRY"}""");
        await using var sidecar = await TestSidecar.StartAsync("picky", app, Components(nats.Server.Url));

        await sidecar.Client.PostAsync($"v1.0/publish/pubsub/{Topic}", Json("""{"n":1}"""));
        // The harness allows 3 attempts; more than that means JetStream handed the message out again.
        Assert.Equal(6, (await app.WaitForAsync(r => r.Path == "/orders", 6, TimeSpan.FromSeconds(15))).Count);
        Assert.Equal(1, (await ConsumerAsync("picky")).NumAckPending);

        Volatile.Write(ref succeed, true);
        await WaitUntilAsync(async () => (await ConsumerAsync("picky")).NumAckPending == 0);
    }

    [Fact]
    public async Task NatsKilledAndRestarted_PublishFailsFast_ThenUndeliveredMessagesArrive()
    {
        await using var server = await NatsServer.StartAsync();
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = Subscription;
        var succeed = false;
        app.Responder = (_, _) => Volatile.Read(ref succeed) ? (200, "") : (500, "");
        await using var sidecar = await TestSidecar.StartAsync("survivor", app, Components(server.Url));
        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.PostAsync($"v1.0/publish/pubsub/{Topic}", Json("""{"n":1}"""))).StatusCode);
        Assert.NotEmpty(await app.WaitForAsync(r => r.Path == "/orders", 1));

        server.Kill();
        var clock = Stopwatch.StartNew();
        var down = await sidecar.Client.PostAsync($"v1.0/publish/pubsub/{Topic}", Json("""{"n":2}"""));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"a publish with NATS down took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.InternalServerError, down.StatusCode);

        await server.RestartAsync();
        Volatile.Write(ref succeed, true);
        var published = false;
        var last = "";
        for (var i = 0; i < 100 && !published; i++)
        {
            var response = await sidecar.Client.PostAsync($"v1.0/publish/pubsub/{Topic}", Json("""{"n":3}"""));
            published = response.StatusCode == HttpStatusCode.NoContent;
            last = await response.Content.ReadAsStringAsync();
            await Task.Delay(published ? 0 : 200);
        }
        Assert.True(published, $"no publish succeeded after NATS came back: {last}");
        // n=1 failed before the kill, so it was never acked: JetStream hands it out again once the server is back.
        Assert.True((await app.WaitForAsync(r => r.Path == "/orders" && r.Body.Contains("\"n\":1"), 4, TimeSpan.FromSeconds(20))).Count >= 4);
        Assert.NotEmpty(await app.WaitForAsync(r => r.Path == "/orders" && r.Body.Contains("\"n\":3"), 1, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void Build_StreamMissing_ErrorNamesStreamName()
    {
        var error = Assert.Throws<ComponentLoadException>(() => RedisFailureTests.Build(RedisFailureTests.Component("pubsub.jetstream",
            ("natsURL", nats.Server.Url), ("streamName", "nosuch" + _id))));
        Assert.Contains($"metadata field 'streamName' 'nosuch{_id}': JetStream has no such stream", error.Message);
    }

    [Fact]
    public void Build_NothingListening_ErrorNamesNatsUrl()
    {
        var port = Quoncept.Sidecar.Runner.FreePort.Next();
        var error = Assert.Throws<ComponentLoadException>(() => RedisFailureTests.Build(RedisFailureTests.Component("pubsub.jetstream",
            ("natsURL", $"nats://127.0.0.1:{port}"))));
        Assert.Contains($"metadata field 'natsURL' 'nats://127.0.0.1:{port}': cannot connect to NATS", error.Message);
    }

    [Theory]
    [InlineData("flowControl", "true", "pull consumers")]
    [InlineData("ackPolicy", "all", "use explicit")]
    [InlineData("deliverPolicy", "sequence", "'startSequence' is required")]
    [InlineData("backOff", "1s,soon", "'soon' is not a duration")]
    [InlineData("natsUrl", "x", "Did you mean 'natsURL'?")]
    public void Build_BadField_RefusedNamingIt(string field, string value, string expected)
    {
        var error = Assert.Throws<ComponentLoadException>(() => RedisFailureTests.Build(RedisFailureTests.Component("pubsub.jetstream",
            ("natsURL", "nats://127.0.0.1:1"), (field, value))));
        Assert.Contains(expected, error.Message);
    }

    private async Task<NATS.Client.JetStream.Models.ConsumerInfo> ConsumerAsync(string group)
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Server.Url });
        var js = new NatsJSContext(connection);
        var consumer = await js.GetConsumerAsync($"S{_id}", JetStreamSubscriptionName(group));
        return consumer.Info;
    }

    private string JetStreamSubscriptionName(string group) => Quoncept.Sidecar.PubSub.JetStreamSubscription.ConsumerName("dapr", group, Topic);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 15 s");
            await Task.Delay(100);
        }
    }
}
