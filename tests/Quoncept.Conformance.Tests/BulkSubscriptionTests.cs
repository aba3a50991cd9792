using Dapr.Client;
using Quoncept.Conformance.TestApp;
using Quoncept.Conformance.Tests.Harness;

namespace Quoncept.Conformance.Tests;

/// <summary>
/// A bulk subscription declared with Dapr.AspNetCore (<c>WithTopic</c> with a routing rule as the only route,
/// <c>WithBulkSubscribe("bulk", 100, 200)</c>) answered per entry through
/// <c>BulkSubscribeMessage&lt;BulkMessageModel&lt;T&gt;&gt;</c>: the app records each delivery as
/// <c>bulk-{id}#{attempt}</c> = the number of the request that carried it.
/// </summary>
[Collection(nameof(SharedRuntimeCollection))]
public sealed class BulkSubscriptionTests(SharedRuntime runtime)
{
    private const string Store = ComponentFiles.StateStore;

    private DaprClient Dapr => runtime.Client;

    [Fact]
    public async Task BulkPublishEventAsync_ToBulkSubscriber_EachEntryOnceInBatchesRetryRedeliveredSkippedNever()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var events = Enumerable.Range(0, 40).Select(i => new LedgerEvent($"{run}-{i}", i,
            FailTimes: i % 10 == 3 ? 1 : 0,
            Mode: i % 10 == 7 ? "drop" : "ok")).ToList();
        var skipped = new LedgerEvent($"{run}-skipped", 0, Mode: "skip");

        var response = await Dapr.BulkPublishEventAsync(ComponentFiles.PubSub, "bulk", [.. events, skipped]);
        Assert.Empty(response.FailedEntries);

        // Every entry delivered once; the ones answered RETRY once come back for a second attempt; DROP does not.
        var expected = events.Select(e => (Key: $"bulk-{e.Id}#{e.FailTimes + 1}", Event: e)).ToList();
        await runtime.EventuallyAsync(async () => (await Dapr.GetBulkStateAsync(Store, expected.ConvertAll(x => x.Key), parallelism: null))
                .All(item => item.Value != ""),
            "every entry delivered, the RETRY ones twice", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var once = await Dapr.GetBulkStateAsync<int>(Store, events.ConvertAll(e => $"bulk-{e.Id}#1"), parallelism: null);
        var tooMany = await Dapr.GetBulkStateAsync(Store, events.ConvertAll(e => $"bulk-{e.Id}#{e.FailTimes + 2}"), parallelism: null);
        Assert.All(tooMany, item => Assert.True(item.Value == "", $"{item.Key} exists: delivered once too often"));
        var skippedDeliveries = await Dapr.GetStateAsync<int?>(Store, $"bulk-{skipped.Id}#1");
        Assert.Null(skippedDeliveries);

        // The forty entries published in one call reached the app in fewer requests than entries.
        var requests = once.Select(item => item.Value).Distinct().Count();
        Assert.True(requests < events.Count, $"{events.Count} first deliveries came in {requests} requests; expected batches");
    }
}
