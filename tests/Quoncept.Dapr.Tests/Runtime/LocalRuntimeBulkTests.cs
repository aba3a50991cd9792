using System.Text.Json;
using Quoncept.Dapr.TestApp;

namespace Quoncept.Dapr.Tests.Runtime;

/// <summary>
/// Bulk subscribe against the local runtime (dapr/Quoncept.Sidecar): the test app's <c>/events/bulk</c> declares
/// <c>WithBulkSubscribe("bulk", 100, 200)</c> on a routing rule (as the gateway's live route) and answers with <see cref="BulkSubscribeMessage.HandleAsync{TValue}"/>.
/// </summary>
[Collection(nameof(LocalRuntimeCollection))]
public sealed class LocalRuntimeBulkTests(LocalRuntime runtime)
{
    [Fact]
    public async Task Publish_BurstToBulkSubscriber_EachEventOnceInBatchesRetryRedelivered()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var events = Enumerable.Range(0, 40).Select(i => new LedgerEvent($"{run}-{i}", i,
            FailTimes: i % 10 == 3 ? 1 : 0,
            Mode: i % 10 == 7 ? "drop" : "ok")).ToList();
        var expected = events.ToDictionary(e => e.Id, e => e.FailTimes + 1);
        events.Add(new LedgerEvent($"{run}-skipped", 0, Mode: "skip"));               // matches no routing rule: never delivered

        await Task.WhenAll(events.Select(e => runtime.Client.PublishEventAsync("pubsub", "bulk", e)));

        using var app = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{runtime.AppPort}"), Timeout = TimeSpan.FromSeconds(10) };
        Dictionary<string, int> deliveries = [];
        async Task<bool> AllArrived()
        {
            var all = JsonSerializer.Deserialize(await app.GetStringAsync("/bulk/deliveries"), TestAppJson.Default.DictionaryStringInt32)!;
            deliveries = all.Where(d => d.Key.StartsWith(run + "-", StringComparison.Ordinal)).ToDictionary();
            return expected.All(e => deliveries.ContainsKey($"{e.Key}#{e.Value}"));
        }

        await runtime.EventuallyAsync(AllArrived, "every event delivered, the RETRY ones twice", TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        await AllArrived();

        // Exactly once each (twice for the four answered RETRY once; DROP is not redelivered; the skipped one never).
        Assert.Equal(expected.Values.Sum(), deliveries.Count);
        foreach (var (id, times) in expected)
        {
            Assert.False(deliveries.ContainsKey($"{id}#{times + 1}"), $"{id} was delivered more than {times} time(s)");
        }

        var batches = deliveries.Values.Distinct().Count();
        Assert.True(batches < deliveries.Count, $"{deliveries.Count} deliveries came in {batches} requests; expected them batched");
    }
}
