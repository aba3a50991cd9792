using System.Text.Json;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Sdk;

/// <summary>Dapr.AspNetCore's programmatic subscriptions, unmodified, loaded and delivered as daprd does.</summary>
public sealed class SdkSubscriptionTests
{
    [Fact]
    public async Task MapSubscribeHandler_CamelCaseSubscriptions_LoadedWithRulesAndDeadLetter()
    {
        await using var app = await SdkSubscriberApp.StartAsync();
        await using var sidecar = await TestSidecar.StartWithPortsAsync([("shop", app.Port)]);

        using var metadata = JsonDocument.Parse(await sidecar.Client.GetStringAsync("v1.0/metadata"));
        var subscriptions = metadata.RootElement.GetProperty("subscriptions").EnumerateArray().ToDictionary(s => s.GetProperty("topic").GetString()!);

        Assert.Equal("pubsub", subscriptions["orders"].GetProperty("pubsubname").GetString());
        var rules = subscriptions["orders"].GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("path").GetString()).ToList();
        Assert.Equal(["orders/urgent", "orders"], rules);
        Assert.Equal("audits-dead", subscriptions["audits"].GetProperty("deadLetterTopic").GetString());
    }

    [Fact]
    public async Task PublishThroughSdk_RoutesWithoutLeadingSlash_DeliveredByRuleAndDefault()
    {
        await using var app = await SdkSubscriberApp.StartAsync();
        await using var sidecar = await TestSidecar.StartWithPortsAsync([("shop", app.Port)]);
        using var dapr = SdkClients.Dapr(sidecar.Runtime.Apps.All[0]);

        await dapr.PublishEventAsync("pubsub", "orders", new SdkSubscriberApp.Order(7));
        await dapr.PublishEventAsync("pubsub", "orders", new SdkSubscriberApp.Order(700));

        var received = await app.WaitForAsync(2);
        Assert.Contains(("orders", 7), received);
        Assert.Contains(("orders/urgent", 700), received);
    }
}
