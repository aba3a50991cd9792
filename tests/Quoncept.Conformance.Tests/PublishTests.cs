using System.Text.Json;
using Dapr;
using Dapr.Client;
using Quoncept.Conformance.TestApp;
using Quoncept.Conformance.Tests.Harness;

namespace Quoncept.Conformance.Tests;

/// <summary>
/// <c>PublishEventAsync</c> and <c>BulkPublishEventAsync</c> to the app's <c>[Topic]</c> handlers: CloudEvents,
/// routing rules, raw payloads. The handlers record what they get in the state store; the tests read it back.
/// </summary>
[Collection(nameof(SharedRuntimeCollection))]
public sealed class PublishTests(SharedRuntime runtime)
{
    private const string Store = ComponentFiles.StateStore;
    private const string PubSub = ComponentFiles.PubSub;

    private DaprClient Dapr => runtime.Client;

    private static string NewId() => Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task PublishEventAsync_TopicHandler_GetsDataInADaprCloudEvent()
    {
        var id = NewId();

        await Dapr.PublishEventAsync(PubSub, "ledger", new LedgerEvent(id, 42));

        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "seen-" + id) == 42, "the ledger handler to record the event");
        var envelope = await Dapr.GetStateAsync<Dictionary<string, string>>(Store, "envelope-" + id);
        Assert.Equal("com.dapr.event.sent", envelope["type"]);
        Assert.Equal(runtime.AppId, envelope["source"]);
        Assert.Equal("ledger", envelope["topic"]);
        Assert.Equal(PubSub, envelope["pubsubname"]);
    }

    [Fact]
    public async Task PublishEventAsync_CloudEventOfTheCaller_HandlerGetsItsDataTypeAndSource()
    {
        var id = NewId();
        var cloudEvent = new CloudEvent<LedgerEvent>(new LedgerEvent(id, 9))
        {
            Source = new Uri("urn:conformance:publisher"),
            Type = "ledger.added",
            Subject = "account-" + id,
        };

        await Dapr.PublishEventAsync(PubSub, "ledger", cloudEvent);

        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "seen-" + id) == 9, "the ledger handler to record the CloudEvent's data");
        var envelope = await Dapr.GetStateAsync<Dictionary<string, string>>(Store, "envelope-" + id);
        Assert.Equal("ledger.added", envelope["type"]);
        Assert.Equal("urn:conformance:publisher", envelope["source"]);
        Assert.Equal("account-" + id, envelope["subject"]);
        Assert.Equal("ledger", envelope["topic"]);
    }

    [Fact]
    public async Task PublishEventAsync_CloudEventMetadataOverrides_HandlerSeesThemButNotATopicOverride()
    {
        var id = NewId();

        // Dapr's documented way to set the CloudEvent attributes it generates: "cloudevent."-prefixed metadata.
        await Dapr.PublishEventAsync(PubSub, "ledger", new LedgerEvent(id, 5), new Dictionary<string, string>
        {
            ["cloudevent.id"] = "event-" + id,
            ["cloudevent.type"] = "ledger.credited",
            ["cloudevent.source"] = "urn:conformance:override",
            ["cloudevent.subject"] = "account-" + id,
            ["cloudevent.topic"] = "elsewhere",
        });

        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "seen-" + id) == 5, "the ledger handler to record the event");
        var envelope = await Dapr.GetStateAsync<Dictionary<string, string>>(Store, "envelope-" + id);
        Assert.Equal("event-" + id, envelope["id"]);
        Assert.Equal("ledger.credited", envelope["type"]);
        Assert.Equal("urn:conformance:override", envelope["source"]);
        Assert.Equal("account-" + id, envelope["subject"]);
        Assert.Equal("ledger", envelope["topic"]);
    }

    [Fact]
    public async Task BulkPublishEventAsync_CloudEventTypeOverride_EveryEntryCarriesIt()
    {
        var events = Enumerable.Range(0, 3).Select(i => new LedgerEvent(NewId(), 200 + i)).ToList();

        var response = await Dapr.BulkPublishEventAsync(PubSub, "ledger", events, new Dictionary<string, string> { ["cloudevent.type"] = "ledger.bulk" });

        Assert.Empty(response.FailedEntries);
        foreach (var e in events)
        {
            await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "seen-" + e.Id) == e.Amount, $"the ledger handler to record bulk entry {e.Id}");
            Assert.Equal("ledger.bulk", (await Dapr.GetStateAsync<Dictionary<string, string>>(Store, "envelope-" + e.Id))["type"]);
        }
    }

    [Fact]
    public async Task PublishByteEventAsync_BinaryPayload_HandlerGetsTheSameBytes()
    {
        var id = NewId();
        byte[] payload = [0, 1, 2, 250, 255];

        await Dapr.PublishByteEventAsync(PubSub, "bytes", payload, "application/octet-stream",
            new Dictionary<string, string> { ["cloudevent.subject"] = id });

        Dictionary<string, string>? seen = null;
        await runtime.EventuallyAsync(async () => (seen = await Dapr.GetStateAsync<Dictionary<string, string>>(Store, "bytes-" + id)) is not null, "the bytes handler");
        Assert.Equal(payload, Convert.FromBase64String(seen!["base64"]));
        Assert.Equal("application/octet-stream", seen["contentType"]);
    }

    [Fact]
    public async Task PublishEventAsync_RoutingRuleMatches_RuleRouteTakesIt()
    {
        var id = NewId();

        await Dapr.PublishEventAsync(PubSub, "orders", new LedgerEvent(id, 1, Mode: "widget"));

        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<string>(Store, "route-" + id) == "widgets", "the rule's route to get the widget");
    }

    [Fact]
    public async Task PublishEventAsync_NoRuleMatches_DefaultRouteTakesIt()
    {
        var id = NewId();

        await Dapr.PublishEventAsync(PubSub, "orders", new LedgerEvent(id, 1, Mode: "gadget"));

        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<string>(Store, "route-" + id) == "default", "the default route to get the gadget");
    }

    [Fact]
    public async Task PublishEventAsync_RawPayloadBothEnds_HandlerGetsThePublishedJsonAlone()
    {
        var id = NewId();

        await Dapr.PublishEventAsync(PubSub, "raw", new LedgerEvent(id, 3), new Dictionary<string, string> { ["rawPayload"] = "true" });

        Dictionary<string, string>? seen = null;
        await runtime.EventuallyAsync(async () => (seen = await Dapr.GetStateAsync<Dictionary<string, string>>(Store, "raw-" + id)) is not null, "the raw handler");
        using var json = JsonDocument.Parse(seen!["body"]);
        Assert.Equal(3, json.RootElement.GetProperty("amount").GetInt32());
        Assert.False(json.RootElement.TryGetProperty("specversion", out _), $"a CloudEvent reached the raw handler: {seen["body"]}");
        // daprd hands a raw subscriber the bytes base64 in an envelope of its own (source "Dapr"), which UseCloudEvents
        // unwraps as application/octet-stream: a handler that binds a JSON type there gets 415 under daprd.
        Assert.Equal("application/octet-stream", seen["contentType"]);
        Assert.Equal("Dapr", seen["source"]);
    }

    [Fact]
    public async Task BulkPublishEventAsync_FiveEvents_NoFailedEntriesAndEachDelivered()
    {
        var events = Enumerable.Range(0, 5).Select(i => new LedgerEvent(NewId(), 100 + i)).ToList();

        var response = await Dapr.BulkPublishEventAsync(PubSub, "ledger", events);

        Assert.Empty(response.FailedEntries);
        foreach (var e in events)
        {
            await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "seen-" + e.Id) == e.Amount, $"the ledger handler to record bulk entry {e.Id}");
        }
    }

    [Fact]
    public async Task PublishEventAsync_UnknownPubSub_DaprException()
    {
        var error = await Assert.ThrowsAsync<DaprException>(() => Dapr.PublishEventAsync("no-such-pubsub", "ledger", new LedgerEvent(NewId(), 1)));

        var status = Assert.IsType<Grpc.Core.RpcException>(error.InnerException);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("no-such-pubsub", status.Status.Detail, StringComparison.Ordinal);
    }
}
