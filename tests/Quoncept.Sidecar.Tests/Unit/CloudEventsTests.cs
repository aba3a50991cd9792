using System.Text;
using System.Text.Json;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.PubSub;

namespace Quoncept.Sidecar.Tests.Unit;

public sealed class CloudEventsTests
{
    private static readonly EnvelopeContext Context = new("shop", "pubsub", "orders", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "k=v", new DateTimeOffset(2026, 1, 2, 3, 5, 5, TimeSpan.Zero));

    [Fact]
    public void Wrap_Json_DataIsJsonWithAllAttributes()
    {
        var e = Parse(CloudEvents.Wrap("""{"a":1}"""u8, "application/json", Context));
        Assert.Equal("1.0", e.GetProperty("specversion").GetString());
        Assert.False(string.IsNullOrEmpty(e.GetProperty("id").GetString()));
        Assert.Equal("shop", e.GetProperty("source").GetString());
        Assert.Equal("com.dapr.event.sent", e.GetProperty("type").GetString());
        Assert.Equal("application/json", e.GetProperty("datacontenttype").GetString());
        Assert.Equal(1, e.GetProperty("data").GetProperty("a").GetInt32());
        Assert.Equal("orders", e.GetProperty("topic").GetString());
        Assert.Equal("pubsub", e.GetProperty("pubsubname").GetString());
        Assert.Equal(Context.TraceParent, e.GetProperty("traceparent").GetString());
        Assert.Equal("k=v", e.GetProperty("tracestate").GetString());
        Assert.Equal("2026-01-02T03:04:05.000Z", e.GetProperty("time").GetString());
        Assert.Equal("2026-01-02T03:05:05.000Z", e.GetProperty("expiration").GetString());
    }

    [Fact]
    public void Wrap_Text_DataIsString()
    {
        var e = Parse(CloudEvents.Wrap("hi"u8, "text/plain; charset=utf-8", Context));
        Assert.Equal("hi", e.GetProperty("data").GetString());
    }

    [Fact]
    public void Wrap_Binary_DataBase64()
    {
        var e = Parse(CloudEvents.Wrap(new byte[] { 0, 255 }, "application/octet-stream", Context));
        Assert.Equal(Convert.ToBase64String([0, 255]), e.GetProperty("data_base64").GetString());
        Assert.False(e.TryGetProperty("data", out _));
    }

    [Fact]
    public void Wrap_ExistingCloudEvent_KeepsItsAttributesAddsMissing()
    {
        var e = Parse(CloudEvents.Wrap("""{"specversion":"1.0","id":"x1","source":"me","type":"t","data":"d"}"""u8, "application/cloudevents+json", Context));
        Assert.Equal("x1", e.GetProperty("id").GetString());
        Assert.Equal("me", e.GetProperty("source").GetString());
        Assert.Equal("t", e.GetProperty("type").GetString());
        Assert.Equal("orders", e.GetProperty("topic").GetString());
        Assert.Equal(Context.TraceParent, e.GetProperty("traceparent").GetString());
    }

    [Fact]
    public void Wrap_ExistingCloudEventWithItsOwnTraceAndNoSource_PublishTraceWinsSourceIsDapr()
    {
        var e = Parse(CloudEvents.Wrap("""{"specversion":"1.0","id":"x2","type":"t","traceparent":"00-11111111111111111111111111111111-2222222222222222-01","data":1}"""u8,
            "application/cloudevents+json", Context));

        // As daprd's FromCloudEvent: the trace fields are the publish call's, a missing source is "Dapr".
        Assert.Equal(Context.TraceParent, e.GetProperty("traceparent").GetString());
        Assert.Equal(Context.TraceParent, e.GetProperty("traceid").GetString());
        Assert.Equal("k=v", e.GetProperty("tracestate").GetString());
        Assert.Equal("Dapr", e.GetProperty("source").GetString());
    }

    [Theory]
    [InlineData("application/json", "{nope")]
    [InlineData("application/cloudevents+json", "[1,2]")]
    public void Wrap_InvalidJson_Rejected(string contentType, string body)
    {
        var error = Assert.Throws<DaprApiException>(() => CloudEvents.Wrap(Encoding.UTF8.GetBytes(body), contentType, Context));
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("ERR_PUBSUB_CLOUD_EVENTS_SER", error.ErrorCode);
    }

    [Theory]
    [InlineData("", "Success")]
    [InlineData("ok", "Success")]
    [InlineData("{}", "Success")]
    [InlineData("{\"status\":\"SUCCESS\"}", "Success")]
    [InlineData("{\"status\":\"retry\"}", "Retry")]
    [InlineData("{\"status\":\"DROP\"}", "Drop")]
    [InlineData("{\"status\":\"MAYBE\"}", "Retry")]
    public void ParseStatus_AppAnswer_Outcome(string answer, string expected)
    {
        Assert.Equal(expected, TopicDelivery.ParseStatus(Encoding.UTF8.GetBytes(answer)).Item1.ToString());
    }

    private static JsonElement Parse(byte[] bytes) => JsonDocument.Parse(bytes).RootElement;
}
