using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Quoncept.Dapr.Tests.Support;

namespace Quoncept.Dapr.Tests.Subscriptions;

/// <summary>GET /dapr/subscribe built from endpoints (https://docs.dapr.io/reference/api/pubsub_api/#provide-a-route-for-dapr-to-discover-topic-subscriptions).</summary>
public sealed class SubscribeHandlerTests
{
    private static Task<InMemoryApp> StartAsync(Action<WebApplication> map) =>
        InMemoryApp.StartAsync(_ => { }, app =>
        {
            app.UseCloudEvents();
            map(app);
            app.MapSubscribeHandler();
        });

    [Topic("pubsub", "attr-topic")]
    private static IResult AttributeHandler() => TopicResults.Success();

    [Fact]
    public async Task Subscribe_AttributeAndBuilder_CollectedWithRoutes()
    {
        await using var app = await StartAsync(a =>
        {
            a.MapPost("/attr", AttributeHandler);
            a.MapPost("/orders", () => TopicResults.Success()).WithTopic("pubsub", "orders");
            a.MapPost("/raw", () => TopicResults.Success()).WithTopic("pubsub", "raw", enableRawPayload: true);
            a.MapPost("/dl", () => TopicResults.Drop()).WithTopic(new TopicOptions { PubsubName = "pubsub", Name = "risky", DeadLetterTopic = "risky-dead" });
            a.MapPost("/not-a-subscriber", () => Results.Ok());
        });

        JsonAssert.Equal("""
            [{"pubsubname":"pubsub","topic":"attr-topic","route":"/attr"},
             {"pubsubname":"pubsub","topic":"orders","route":"/orders"},
             {"pubsubname":"pubsub","topic":"raw","route":"/raw","metadata":{"rawPayload":"true"}},
             {"pubsubname":"pubsub","topic":"risky","route":"/dl","deadLetterTopic":"risky-dead"}]
            """, await app.Client.GetStringAsync("/dapr/subscribe"));
    }

    [Fact]
    public async Task Subscribe_RoutingRules_RoutesObjectOrderedByPriority()
    {
        await using var app = await StartAsync(a =>
        {
            a.MapPost("/moves/default", () => TopicResults.Success()).WithTopic("pubsub", "moves");
            a.MapPost("/moves/jump", () => TopicResults.Success()).WithTopic(new TopicOptions { PubsubName = "pubsub", Name = "moves", Match = "event.type == \"jump\"", Priority = 2 });
            a.MapPost("/moves/dock", () => TopicResults.Success()).WithTopic(new TopicOptions { PubsubName = "pubsub", Name = "moves", Match = "event.type == \"dock\"", Priority = 1 });
        });

        JsonAssert.Equal("""
            [{"pubsubname":"pubsub","topic":"moves","routes":{"rules":[
                {"match":"event.type == \"dock\"","path":"/moves/dock"},
                {"match":"event.type == \"jump\"","path":"/moves/jump"}],"default":"/moves/default"}}]
            """, await app.Client.GetStringAsync("/dapr/subscribe"));
    }

    [Fact]
    public async Task Subscribe_TwoDefaultRoutesForOneTopic_FailsClearly()
    {
        await using var app = await StartAsync(a =>
        {
            a.MapPost("/a", () => TopicResults.Success()).WithTopic("pubsub", "t");
            a.MapPost("/b", () => TopicResults.Success()).WithTopic("pubsub", "t");
        });
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.Client.GetAsync("/dapr/subscribe"));
        Assert.Contains("2 default routes", ex.Message);
    }

    [Fact]
    public async Task Subscribe_RouteWithParameters_FailsClearly()
    {
        await using var app = await StartAsync(a => a.MapPost("/x/{id}", (string id) => TopicResults.Success()).WithTopic("pubsub", "t"));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.Client.GetAsync("/dapr/subscribe"));
        Assert.Contains("parameters", ex.Message);
    }

    [Theory]
    [InlineData("ok", "SUCCESS")]
    [InlineData("retry", "RETRY")]
    [InlineData("drop", "DROP")]
    public async Task TopicResults_StatusBody(string which, string status)
    {
        await using var app = await StartAsync(a => a.MapPost("/h", (HttpContext c) => c.Request.Query["r"].ToString() switch
        {
            "retry" => TopicResults.Retry(),
            "drop" => TopicResults.Drop(),
            _ => TopicResults.Success(),
        }).WithTopic("pubsub", "t"));
        var response = await app.Client.PostAsync($"/h?r={which}", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonAssert.Equal($$"""{"status":"{{status}}"}""", await response.Content.ReadAsStringAsync());
    }
}
