using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Quoncept.Dapr.Tests.Support;

namespace Quoncept.Dapr.Tests.Subscriptions;

/// <summary>
/// <c>bulkSubscribe</c> in <c>GET /dapr/subscribe</c>
/// (https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-bulk/#subscribing-messages-in-bulk).
/// </summary>
public sealed class BulkSubscribeDeclarationTests
{
    private static Task<InMemoryApp> StartAsync(Action<WebApplication> map) =>
        InMemoryApp.StartAsync(_ => { }, app =>
        {
            app.UseCloudEvents();
            map(app);
            app.MapSubscribeHandler();
        });

    [Topic("pubsub", "attr-bulk")]
    [BulkSubscribe("attr-bulk", 50, 40)]
    private static IResult AttributeHandler() => TopicResults.Success();

    [Fact]
    public async Task Subscribe_WithBulkSubscribe_EntryCarriesBulkSubscribeObject()
    {
        await using var app = await StartAsync(a =>
        {
            a.MapPost("/attr", AttributeHandler);
            a.MapPost("/live", () => Results.Ok()).WithTopic("pubsub", "live").WithBulkSubscribe("live", maxMessagesCount: 100, maxAwaitDurationMs: 0);
            a.MapPost("/defaults", () => Results.Ok()).WithTopic("pubsub", "defaults").WithBulkSubscribe(new BulkSubscribeTopicOptions { TopicName = "defaults" });
            a.MapPost("/single", () => TopicResults.Success()).WithTopic("pubsub", "single");
        });

        JsonAssert.Equal("""
            [{"pubsubname":"pubsub","topic":"attr-bulk","route":"/attr","bulkSubscribe":{"enabled":true,"maxMessagesCount":50,"maxAwaitDurationMs":40}},
             {"pubsubname":"pubsub","topic":"defaults","route":"/defaults","bulkSubscribe":{"enabled":true,"maxMessagesCount":100,"maxAwaitDurationMs":1000}},
             {"pubsubname":"pubsub","topic":"live","route":"/live","bulkSubscribe":{"enabled":true,"maxMessagesCount":100,"maxAwaitDurationMs":0}},
             {"pubsubname":"pubsub","topic":"single","route":"/single"}]
            """, await app.Client.GetStringAsync("/dapr/subscribe"));
    }

    [Fact]
    public async Task Subscribe_BulkSubscribeBytes_MatchDocumentedShape()
    {
        await using var app = await StartAsync(a =>
            a.MapPost("/checkout", () => Results.Ok()).WithTopic("order-pub-sub", "orders").WithBulkSubscribe("orders", 100, 40));

        Assert.Equal(
            """[{"pubsubname":"order-pub-sub","topic":"orders","route":"/checkout","bulkSubscribe":{"enabled":true,"maxMessagesCount":100,"maxAwaitDurationMs":40}}]""",
            await app.Client.GetStringAsync("/dapr/subscribe"));
    }

    [Fact]
    public async Task Subscribe_BulkOnRuleOnlyRouteWithMetadata_RoutesAndBulkTogether()
    {
        await using var app = await StartAsync(a =>
            a.MapPost("/live", () => Results.Ok())
                .WithTopic(new TopicOptions { PubsubName = "pubsub", Name = "events", Match = "event.data.type == \"Arrived\"", Metadata = new Dictionary<string, string> { ["consumerID"] = "{uuid}" } })
                .WithBulkSubscribe("events", 100, 0));

        JsonAssert.Equal("""
            [{"pubsubname":"pubsub","topic":"events","routes":{"rules":[{"match":"event.data.type == \"Arrived\"","path":"/live"}]},
              "metadata":{"consumerID":"{uuid}"},"bulkSubscribe":{"enabled":true,"maxMessagesCount":100,"maxAwaitDurationMs":0}}]
            """, await app.Client.GetStringAsync("/dapr/subscribe"));
    }

    [Theory]
    [InlineData(0, 10, "maxMessagesCount")]
    [InlineData(-5, 10, "maxMessagesCount")]
    [InlineData(1001, 10, "maxMessagesCount")]
    [InlineData(10, -1, "maxAwaitDurationMs")]
    [InlineData(10, 60_001, "maxAwaitDurationMs")]
    public void WithBulkSubscribe_ArgumentOutOfRange_ThrowsWhenMapped(int count, int wait, string parameter)
    {
        var builder = WebApplication.CreateBuilder();
        var app = builder.Build();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => app.MapPost("/x", () => Results.Ok()).WithTopic("pubsub", "t").WithBulkSubscribe("t", count, wait));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains("'t'", ex.Message);
    }

    [Fact]
    public void BulkSubscribeAttribute_EmptyTopic_Throws() =>
        Assert.Throws<ArgumentException>(() => new BulkSubscribeAttribute("", 10, 10));

    [Fact]
    public void BulkSubscribeAttribute_Defaults_AreDaprDefaults()
    {
        var attribute = new BulkSubscribeAttribute("t");
        Assert.Equal((100, 1000), (attribute.MaxMessagesCount, attribute.MaxAwaitDurationMs));
        Assert.Equal((7, 1000), (new BulkSubscribeAttribute("t", 7).MaxMessagesCount, new BulkSubscribeAttribute("t", 7).MaxAwaitDurationMs));
    }

    [Fact]
    public async Task Subscribe_BulkForTopicTheEndpointDoesNotSubscribe_FailsClearly()
    {
        await using var app = await StartAsync(a => a.MapPost("/x", () => Results.Ok()).WithTopic("pubsub", "a").WithBulkSubscribe("b"));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.Client.GetAsync("/dapr/subscribe"));
        Assert.Contains("'b'", ex.Message);
        Assert.Contains("does not subscribe", ex.Message);
    }

    [Fact]
    public async Task Subscribe_BulkOnOnlyOneRouteOfTopic_FailsClearly()
    {
        await using var app = await StartAsync(a =>
        {
            a.MapPost("/moves", () => Results.Ok()).WithTopic("pubsub", "moves").WithBulkSubscribe("moves");
            a.MapPost("/moves/jump", () => TopicResults.Success()).WithTopic(new TopicOptions { PubsubName = "pubsub", Name = "moves", Match = "event.type == \"jump\"", Priority = 1 });
        });
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.Client.GetAsync("/dapr/subscribe"));
        Assert.Contains("every route", ex.Message);
    }
}
