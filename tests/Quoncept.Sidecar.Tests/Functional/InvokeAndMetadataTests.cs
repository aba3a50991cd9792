using System.Net;
using System.Text;
using System.Text.Json;
using Quoncept.Sidecar.Tests.Harness;
using static Quoncept.Sidecar.Tests.Functional.StateApiTests;

namespace Quoncept.Sidecar.Tests.Functional;

public sealed class InvokeAndMetadataTests
{
    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Invoke_AnyVerb_PassesPathQueryHeadersAndBody(string verb)
    {
        await using var target = await TestApp.StartAsync();
        target.Responder = (r, _) => (201, $$"""{"echo":"{{r.Method}} {{r.Path}}{{r.Query}}"}""");
        await using var sidecar = await TestSidecar.StartAsync([("caller", null), ("target", target)]);

        using var request = new HttpRequestMessage(new HttpMethod(verb), "v1.0/invoke/target/method/orders/7?expand=1");
        request.Headers.TryAddWithoutValidation("x-custom", "abc");
        if (verb != "GET")
        {
            request.Content = new StringContent("payload", Encoding.UTF8, "text/plain");
        }
        var response = await sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($$"""{"echo":"{{verb}} /orders/7?expand=1"}""", await response.Content.ReadAsStringAsync());
        var seen = Assert.Single(target.Requests);
        Assert.Equal("abc", seen.Headers["x-custom"]);
        Assert.Equal(verb == "GET" ? "" : "payload", seen.Body);
        Assert.True(seen.Headers.ContainsKey("traceparent"));
    }

    [Fact]
    public async Task Invoke_AppIdHeader_RoutesToApp()
    {
        await using var target = await TestApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync([("caller", null), ("target", target)]);

        using var request = new HttpRequestMessage(HttpMethod.Post, "hello/world") { Content = Json("{}") };
        request.Headers.TryAddWithoutValidation("dapr-app-id", "target");
        var response = await sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/hello/world", Assert.Single(target.Requests).Path);
    }

    [Fact]
    public async Task Invoke_Replicas_RoundRobin()
    {
        await using var one = await TestApp.StartAsync();
        await using var two = await TestApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync([("caller", null), ("target", one), ("target", two)]);

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await sidecar.Client.PostAsync("v1.0/invoke/target/method/work", Json("{}"))).StatusCode);
        }

        Assert.Equal(3, one.Requests.Count);
        Assert.Equal(3, two.Requests.Count);
    }

    [Fact]
    public async Task Invoke_UnknownApp_Returns500DirectInvokeError()
    {
        await using var sidecar = await TestSidecar.StartAsync("caller");
        await AssertError(await sidecar.Client.GetAsync("v1.0/invoke/ghost/method/x"), HttpStatusCode.InternalServerError, "ERR_DIRECT_INVOKE");
    }

    [Fact]
    public async Task Invoke_AppGone_Returns500AndRuntimeStaysUp()
    {
        var target = await TestApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync([("caller", null), ("target", target)]);
        await target.DisposeAsync();

        var response = await sidecar.Client.GetAsync("v1.0/invoke/target/method/x");
        await AssertError(response, HttpStatusCode.InternalServerError, "ERR_DIRECT_INVOKE");
        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.GetAsync("v1.0/healthz/outbound")).StatusCode);
    }

    [Fact]
    public async Task Metadata_DescribesCallerComponentsAndSubscriptions()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """[{"pubsubname":"pubsub","topic":"orders","route":"/orders","deadLetterTopic":"dlq"}]""";
        await using var sidecar = await TestSidecar.StartAsync("shop", app);

        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.PutAsync("v1.0/metadata/color", new StringContent("blue"))).StatusCode);
        var metadata = JsonDocument.Parse(await sidecar.Client.GetStringAsync("v1.0/metadata")).RootElement;

        Assert.Equal("shop", metadata.GetProperty("id").GetString());
        var components = metadata.GetProperty("components").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("type").GetString());
        Assert.Equal("state.in-memory", components["statestore"]);
        Assert.Equal("pubsub.in-memory", components["pubsub"]);
        var subscription = Assert.Single(metadata.GetProperty("subscriptions").EnumerateArray());
        Assert.Equal("dlq", subscription.GetProperty("deadLetterTopic").GetString());
        Assert.Equal("blue", metadata.GetProperty("extended").GetProperty("color").GetString());
        Assert.Equal(app.Port, metadata.GetProperty("appConnectionProperties").GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task Healthz_HealthyApp_Returns204()
    {
        await using var app = await TestApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("shop", app);
        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.GetAsync("v1.0/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.GetAsync("v1.0/healthz/outbound")).StatusCode);
    }

    [Fact]
    public async Task Healthz_AppNotListening_Returns500NotReady()
    {
        await using var waiting = await TestSidecar.StartWithPortsAsync([("waiting", Runner.FreePort.Next())], waitForApps: false);
        await AssertError(await waiting.Client.GetAsync("v1.0/healthz"), HttpStatusCode.InternalServerError, "ERR_HEALTH_NOT_READY");
        Assert.Equal(HttpStatusCode.NoContent, (await waiting.Client.GetAsync("v1.0/healthz/outbound")).StatusCode);
    }
}
