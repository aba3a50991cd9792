using System.Net;
using System.Text.Json;
using Quoncept.Dapr.TestApp;

namespace Quoncept.Dapr.Tests.Runtime;

/// <summary>Every DaprClient call against the local runtime (dapr/Quoncept.Sidecar) as a real sidecar.</summary>
[Collection(nameof(LocalRuntimeCollection))]
public sealed class LocalRuntimeClientTests(LocalRuntime runtime)
{
    private const string Store = "statestore";
    private DaprClient Dapr => runtime.Client;

    private static string NewId() => Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Health_SidecarUp_HealthyAndWaitReturns()
    {
        Assert.True(await Dapr.CheckHealthAsync());
        Assert.True(await Dapr.CheckOutboundHealthAsync());
        await Dapr.WaitForSidecarAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task State_SaveGetEtagDelete_RoundTrip()
    {
        var key = "k-" + NewId();
        Assert.Null(await Dapr.GetStateAsync<LedgerEvent>(Store, key));

        await Dapr.SaveStateAsync(Store, key, new LedgerEvent("e", 1));
        var (value, etag) = await Dapr.GetStateAndETagAsync<LedgerEvent>(Store, key);
        Assert.Equal(new LedgerEvent("e", 1), value);
        Assert.NotEqual("", etag);

        Assert.True(await Dapr.TrySaveStateAsync(Store, key, new LedgerEvent("e", 2), etag));
        Assert.False(await Dapr.TrySaveStateAsync(Store, key, new LedgerEvent("e", 3), etag)); // stale etag
        var (current, newEtag) = await Dapr.GetStateAndETagAsync<LedgerEvent>(Store, key);
        Assert.Equal(2, current!.Amount);

        Assert.False(await Dapr.TryDeleteStateAsync(Store, key, etag));
        Assert.True(await Dapr.TryDeleteStateAsync(Store, key, newEtag));
        Assert.Null(await Dapr.GetStateAsync<LedgerEvent>(Store, key));

        await Dapr.SaveStateAsync(Store, key, 5, new StateOptions { Consistency = ConsistencyMode.Strong });
        await Dapr.DeleteStateAsync(Store, key);
        Assert.Equal(0, await Dapr.GetStateAsync<int>(Store, key));
    }

    [Fact]
    public async Task State_BulkAndTransaction_RoundTrip()
    {
        var a = "a-" + NewId();
        var b = "b-" + NewId();
        await Dapr.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(a, JsonSerializer.SerializeToUtf8Bytes(new LedgerEvent("a", 1)), StateOperationType.Upsert),
            new StateTransactionRequest(b, JsonSerializer.SerializeToUtf8Bytes(new LedgerEvent("b", 2)), StateOperationType.Upsert),
        ]);
        var items = await Dapr.GetBulkStateAsync<LedgerEvent>(Store, [a, b, "missing-" + NewId()], parallelism: 2);
        Assert.Equal(3, items.Count);
        Assert.Equal(1, items.Single(i => i.Key == a).Value!.Amount);
        Assert.Equal(2, items.Single(i => i.Key == b).Value!.Amount);
        Assert.Null(items.Single(i => i.Key.StartsWith("missing-", StringComparison.Ordinal)).Value);

        var raw = await Dapr.GetBulkStateAsync(Store, [a], parallelism: null);
        using (var doc = JsonDocument.Parse(raw[0].Value))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("Amount").GetInt32()); // as serialized above, with default options
        }

        await Dapr.ExecuteStateTransactionAsync(Store, [new StateTransactionRequest(a, null, StateOperationType.Delete)]);
        Assert.Null(await Dapr.GetStateAsync<LedgerEvent>(Store, a));
    }

    [Fact]
    public async Task State_TransactionWithStaleEtag_NothingApplied()
    {
        var a = "a-" + NewId();
        var b = "b-" + NewId();
        await Dapr.SaveStateAsync(Store, a, 1);
        var ex = await Assert.ThrowsAsync<DaprApiException>(() => Dapr.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(b, "2"u8.ToArray(), StateOperationType.Upsert),
            new StateTransactionRequest(a, "3"u8.ToArray(), StateOperationType.Upsert, etag: "999999"),
        ]));
        Assert.False(string.IsNullOrEmpty(ex.ErrorCode));
        Assert.Equal(0, await Dapr.GetStateAsync<int>(Store, b));
        Assert.Equal(1, await Dapr.GetStateAsync<int>(Store, a));
    }

    [Fact]
    public async Task State_UnknownStore_DaprApiExceptionWithCode()
    {
        var ex = await Assert.ThrowsAsync<DaprApiException>(() => Dapr.SaveStateAsync("no-such-store", "k", 1));
        Assert.StartsWith("ERR_STATE_STORE", ex.ErrorCode);
        Assert.Contains("no-such-store", ex.Message);
    }

    [Fact]
    public async Task Publish_ToSubscribedTopic_HandlerReceivesData()
    {
        var id = NewId();
        await Dapr.PublishEventAsync("pubsub", "ledger", new LedgerEvent(id, 42));
        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "seen-" + id) == 42, "the ledger subscriber to record the event");
    }

    [Fact]
    public async Task BulkPublish_ToSubscribedTopic_EveryEventDelivered()
    {
        var ids = Enumerable.Range(0, 5).Select(_ => NewId()).ToArray();
        var response = await Dapr.BulkPublishEventAsync("pubsub", "ledger", ids.Select((id, i) => new LedgerEvent(id, 100 + i)).ToList());
        Assert.Empty(response.FailedEntries);
        for (var i = 0; i < ids.Length; i++)
        {
            var (id, amount) = (ids[i], 100 + i);
            await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "seen-" + id) == amount, $"the ledger subscriber to record bulk entry {i}");
        }
    }

    [Fact]
    public async Task Publish_SubscriberAnswersRetry_RedeliveredUntilSuccess()
    {
        var id = NewId();
        await Dapr.PublishEventAsync("pubsub", "flaky", new LedgerEvent(id, 1, FailTimes: 2));
        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "attempts-" + id) == 3, "three attempts (RETRY, RETRY, SUCCESS)");
        await Task.Delay(1000);
        Assert.Equal(3, await Dapr.GetStateAsync<int>(Store, "attempts-" + id));
        Assert.Equal(0, await Dapr.GetStateAsync<int>(Store, "dead-" + id));
    }

    [Fact]
    public async Task Publish_SubscriberAnswersDrop_NotRedelivered()
    {
        var id = NewId();
        await Dapr.PublishEventAsync("pubsub", "flaky", new LedgerEvent(id, 7, Mode: "drop"));
        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "attempts-" + id) == 1, "the first delivery");
        await Task.Delay(1500);
        Assert.Equal(1, await Dapr.GetStateAsync<int>(Store, "attempts-" + id));
    }

    [Fact]
    public async Task Publish_SubscriberKeepsAnsweringRetry_DeadLettered()
    {
        var id = NewId();
        await Dapr.PublishEventAsync("pubsub", "flaky", new LedgerEvent(id, 11, FailTimes: 1000));
        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "dead-" + id) == 11, "the event on the declared dead-letter topic once retries run out", TimeSpan.FromSeconds(40));
        Assert.True(await Dapr.GetStateAsync<int>(Store, "attempts-" + id) > 1);
    }

    [Fact]
    public async Task Publish_RawPayloadSubscription_BodyIsNotACloudEvent()
    {
        var id = NewId();
        await Dapr.PublishEventAsync("pubsub", "raw", new LedgerEvent(id, 3), new Dictionary<string, string> { ["rawPayload"] = "true" });
        await runtime.EventuallyAsync(async () => (await Dapr.GetStateAsync<string>(Store, "raw"))?.Contains(id, StringComparison.Ordinal) == true, "the raw subscriber");
        using var body = JsonDocument.Parse((await Dapr.GetStateAsync<string>(Store, "raw"))!);
        Assert.Equal(id, body.RootElement.GetProperty("id").GetString());
        Assert.False(body.RootElement.TryGetProperty("specversion", out _));
    }

    [Fact]
    public async Task Publish_CloudEvent_HandlerGetsItsData()
    {
        var id = NewId();
        await Dapr.PublishCloudEventAsync("pubsub", "ledger", new CloudEvent<LedgerEvent>(new LedgerEvent(id, 9)) { Source = new Uri("urn:test"), Type = "ledger.added" });
        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "seen-" + id) == 9, "the ledger subscriber to record the CloudEvent's data");
    }

    [Fact]
    public async Task Invoke_TypedJsonAndHttpClient_ReachTheApp()
    {
        var echoed = await Dapr.InvokeMethodAsync<LedgerEvent, LedgerEvent>(LocalRuntime.AppId, "echo", new LedgerEvent("x", 21));
        Assert.Equal(42, echoed.Amount);

        using var http = DaprClient.CreateInvokeHttpClient(LocalRuntime.AppId, runtime.SidecarEndpoint);
        Assert.StartsWith("pid ", await http.GetStringAsync("/whoami"));

        var ex = await Assert.ThrowsAsync<InvocationException>(() => Dapr.InvokeMethodAsync(HttpMethod.Get, LocalRuntime.AppId, "no-such-route"));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
    }
}
