using System.Net;
using System.Text;
using System.Text.Json;
using Quoncept.Sidecar.Tests.Harness;
using static Quoncept.Sidecar.Tests.Functional.StateApiTests;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>
/// The envelope a subscriber gets, as daprd builds it: CloudEvent attributes set through <c>cloudevent.*</c>
/// metadata, and the raw envelope of a <c>rawPayload</c> subscription (components-contrib's FromRawPayload).
/// </summary>
public sealed class PubSubEnvelopeTests
{
    private const string OrdersSubscription = """[{"pubsubname":"pubsub","topic":"orders","route":"/orders"}]""";

    [Fact]
    public async Task Publish_CloudEventMetadataOverrides_EnvelopeCarriesThemInAnyCase()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = OrdersSubscription;
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        var response = await sidecar.Client.PostAsync("v1.0/publish/pubsub/orders?metadata.cloudevent.id=e-1&metadata.CloudEvent.Type=order.placed" +
            "&metadata.cloudevent.source=urn:shop&metadata.cloudevent.subject=order-9&metadata.cloudevent.topic=elsewhere" +
            "&metadata.cloudevent.traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", Json("""{"n":1}"""));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var delivery = Assert.Single(await app.WaitForAsync(r => r.Path == "/orders", 1));
        var evt = delivery.CloudEvent!.Value;
        Assert.Equal("e-1", evt.GetProperty("id").GetString());
        Assert.Equal("order.placed", evt.GetProperty("type").GetString());
        Assert.Equal("urn:shop", evt.GetProperty("source").GetString());
        Assert.Equal("order-9", evt.GetProperty("subject").GetString());
        Assert.Equal("orders", evt.GetProperty("topic").GetString());
        Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", evt.GetProperty("traceparent").GetString());
        Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", evt.GetProperty("traceid").GetString());
    }

    [Fact]
    public async Task PublishEventAsync_GrpcWithEmptySourceOverride_DaprdsDefaults()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = OrdersSubscription;
        await using var sidecar = await TestSidecar.StartAsync("shop", app);
        using var dapr = SdkClients.Dapr(sidecar.Runtime.Apps.All[0]);

        // An override that is present but empty replaces the generated value, and daprd then falls back to its default.
        await dapr.PublishEventAsync("pubsub", "orders", new { n = 2 }, new Dictionary<string, string> { ["cloudevent.source"] = "", ["cloudevent.id"] = "" });

        var evt = Assert.Single(await app.WaitForAsync(r => r.Path == "/orders", 1)).CloudEvent!.Value;
        Assert.Equal("Dapr", evt.GetProperty("source").GetString());
        Assert.False(string.IsNullOrEmpty(evt.GetProperty("id").GetString()));
        Assert.False(evt.TryGetProperty("subject", out _));
    }

    [Fact]
    public async Task Publish_ReadyMadeCloudEventWithOverrides_KeepsItsOwnAttributes()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = OrdersSubscription;
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        await sidecar.Client.PostAsync("v1.0/publish/pubsub/orders?metadata.cloudevent.type=ignored", new StringContent(
            """{"specversion":"1.0","id":"mine","source":"me","type":"my.type","data":{"a":1}}""", Encoding.UTF8, "application/cloudevents+json"));

        var evt = Assert.Single(await app.WaitForAsync(r => r.Path == "/orders", 1)).CloudEvent!.Value;
        Assert.Equal("my.type", evt.GetProperty("type").GetString());
        Assert.Equal("mine", evt.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Publish_RawPayloadToRawSubscriber_DeliveredInDaprdsRawEnvelope()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """[{"pubsubname":"pubsub","topic":"raw","route":"/raw","metadata":{"rawPayload":"true"}}]""";
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        await sidecar.Client.PostAsync("v1.0/publish/pubsub/raw?metadata.rawPayload=true", Json("""{"plain":true}"""));

        var delivery = Assert.Single(await app.WaitForAsync(r => r.Path == "/raw", 1));
        Assert.StartsWith("application/cloudevents+json", delivery.Headers["Content-Type"]);
        var evt = delivery.CloudEvent!.Value;
        Assert.Equal("""{"plain":true}""", Encoding.UTF8.GetString(Convert.FromBase64String(evt.GetProperty("data_base64").GetString()!)));
        Assert.False(evt.TryGetProperty("data", out _));
        Assert.Equal("application/octet-stream", evt.GetProperty("datacontenttype").GetString());
        Assert.Equal("Dapr", evt.GetProperty("source").GetString());
        Assert.Equal("com.dapr.event.sent", evt.GetProperty("type").GetString());
        Assert.Equal("raw", evt.GetProperty("topic").GetString());
        Assert.Equal("pubsub", evt.GetProperty("pubsubname").GetString());
    }

    [Fact]
    public async Task Publish_CloudEventToRawSubscriber_TheWholeEnvelopeIsTheRawBytes()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """[{"pubsubname":"pubsub","topic":"raw","route":"/raw","metadata":{"rawPayload":"true"}}]""";
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        await sidecar.PublishAsync("raw", new { n = 3 });

        // daprd does not look inside: what the topic carries (here the publisher's CloudEvent) goes base64 to the app.
        var evt = Assert.Single(await app.WaitForAsync(r => r.Path == "/raw", 1)).CloudEvent!.Value;
        using var inner = JsonDocument.Parse(Convert.FromBase64String(evt.GetProperty("data_base64").GetString()!));
        Assert.Equal("shop", inner.RootElement.GetProperty("source").GetString());
        Assert.Equal(3, inner.RootElement.GetProperty("data").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Publish_RawPayloadToRawBulkSubscriber_EntryEventIsBase64OctetStream()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """
            [{"pubsubname":"pubsub","topic":"raw","route":"/raw","metadata":{"rawPayload":"true"},
              "bulkSubscribe":{"enabled":true,"maxMessagesCount":10,"maxAwaitDurationMs":0}}]
            """;
        // Each entry answered SUCCESS (an empty answer would have them all retried, as daprd does).
        app.Responder = (r, _) => (200, JsonSerializer.Serialize(new
        {
            statuses = JsonDocument.Parse(r.Body).RootElement.GetProperty("entries").EnumerateArray()
                .Select(e => new { entryId = e.GetProperty("entryId").GetString(), status = "SUCCESS" }),
        }));
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        await sidecar.Client.PostAsync("v1.0/publish/pubsub/raw?metadata.rawPayload=true", Json("""{"plain":true}"""));

        var request = Assert.Single(await app.WaitForAsync(r => r.Path == "/raw", 1));
        var entry = Assert.Single(JsonDocument.Parse(request.Body).RootElement.GetProperty("entries").EnumerateArray());
        Assert.Equal("""{"plain":true}""", Encoding.UTF8.GetString(Convert.FromBase64String(entry.GetProperty("event").GetString()!)));
        Assert.Equal("application/octet-stream", entry.GetProperty("contentType").GetString());
    }
}
