using Dapr.Actors;
using Dapr.Actors.Client;
using Quoncept.Conformance.TestApp;
using Quoncept.Conformance.Tests.Harness;

namespace Quoncept.Conformance.Tests;

/// <summary>The metadata API: what the runtime says about itself and the app it fronts.</summary>
[Collection(nameof(SharedRuntimeCollection))]
public sealed class MetadataTests(SharedRuntime runtime)
{
    [Fact]
    public async Task GetMetadataAsync_RuntimeWithApp_AppIdActorTypeAndComponents()
    {
        var metadata = await runtime.Client.GetMetadataAsync();

        Assert.Equal(runtime.AppId, metadata.Id);
        Assert.Contains(metadata.Actors, actor => actor.Type == RuntimePair.ActorType);
        var store = Assert.Single(metadata.Components, c => c.Name == ComponentFiles.StateStore);
        Assert.Equal("state.sqlite", store.Type);
        Assert.Contains("TRANSACTIONAL", store.Capabilities);
        Assert.Contains("ETAG", store.Capabilities);
        Assert.Contains("ACTOR", store.Capabilities);
        Assert.Equal("pubsub.in-memory", Assert.Single(metadata.Components, c => c.Name == ComponentFiles.PubSub).Type);
    }

    [Fact]
    public async Task GetMetadataAsync_AfterAnActorCall_CountsTheActiveActor()
    {
        var ledger = runtime.Proxies.CreateActorProxy<ILedgerActor>(new ActorId("metadata-" + Guid.NewGuid().ToString("N")), RuntimePair.ActorType);

        await ledger.GetTotalAsync();

        var active = Assert.Single((await runtime.Client.GetMetadataAsync()).Actors, actor => actor.Type == RuntimePair.ActorType);
        Assert.True(active.Count >= 1, $"{active.Count} active {RuntimePair.ActorType} after a call to one");
    }

    [Fact]
    public async Task SetMetadataAsync_ThenGetMetadataAsync_ExtendedAttributeRoundTrips()
    {
        var value = Guid.NewGuid().ToString("N");

        await runtime.Client.SetMetadataAsync("conformance-run", value);

        Assert.Equal(value, (await runtime.Client.GetMetadataAsync()).Extended["conformance-run"]);
    }

    [Fact]
    public async Task GetMetadata_AppsSubscriptions_TopicsRulesDeadLetterAndBulk()
    {
        var subscriptions = (await runtime.GetProtoMetadataAsync()).Subscriptions;

        var orders = Assert.Single(subscriptions, s => s.Topic == "orders");
        Assert.Equal(ComponentFiles.PubSub, orders.PubsubName);
        // Paths as the app declared them (Dapr.AspNetCore drops the leading slash), the default route last with no match.
        Assert.Equal(
            [("event.data.mode == \"widget\"", "events/orders/widgets"), ("", "events/orders")],
            orders.Rules.Rules.Select(rule => (rule.Match, rule.Path)));
        Assert.Equal("flaky-dead", Assert.Single(subscriptions, s => s.Topic == "flaky").DeadLetterTopic);
        var bulk = Assert.Single(subscriptions, s => s.Topic == "bulk");
        Assert.Equal("{uuid}", bulk.Metadata["consumerID"]);
        Assert.Equal("true", Assert.Single(subscriptions, s => s.Topic == "raw").Metadata["rawPayload"]);
    }
}
