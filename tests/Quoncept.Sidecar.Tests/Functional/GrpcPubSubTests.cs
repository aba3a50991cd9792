using System.Diagnostics;
using System.Text.Json;
using Dapr;
using Dapr.Client;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Grpc.Core;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>
/// Publishing over gRPC with the official Dapr.Client; deliveries go to a subscriber app (subscribed to
/// <c>orders</c>, fresh for each test) as with HTTP publishes.
/// </summary>
public sealed class GrpcPubSubTests : IAsyncLifetime
{
    private TestApp _app = null!;
    private TestSidecar _sidecar = null!;
    private DaprClient _dapr = null!;

    private Apps.AppInstance Instance => _sidecar.Runtime.Apps.All[0];

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        _app.Subscriptions = """[{"pubsubname":"pubsub","topic":"orders","route":"/orders"}]""";
        _sidecar = await TestSidecar.StartAsync("shop", _app);
        _dapr = SdkClients.Dapr(Instance);
    }

    public async Task DisposeAsync()
    {
        _dapr.Dispose();
        await _sidecar.DisposeAsync();
        await _app.DisposeAsync();
    }

    private sealed record Order(int Id, string Item);

    [Fact]
    public async Task PublishEvent_Json_DeliveredAsCloudEventContinuingCallersTrace()
    {

        using var source = new ActivitySource("GrpcPubSubTests");
        using var listener = ListenTo(source.Name);
        using (var caller = source.StartActivity("publish-order"))
        {
            await _dapr.PublishEventAsync("pubsub", "orders", new Order(7, "tritanium"));
            Assert.NotNull(caller);

            var delivery = Assert.Single(await _app.WaitForAsync(r => r.Path == "/orders", 1));
            var evt = delivery.CloudEvent!.Value;
            Assert.Equal("shop", evt.GetProperty("source").GetString());
            Assert.Equal(7, evt.GetProperty("data").GetProperty("id").GetInt32());
            Assert.StartsWith("application/json", evt.GetProperty("datacontenttype").GetString());
            Assert.Contains(caller.TraceId.ToHexString(), evt.GetProperty("traceparent").GetString(), StringComparison.Ordinal);
            Assert.Contains(caller.TraceId.ToHexString(), delivery.Headers["traceparent"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BulkPublishEvent_AllEntriesDelivered_NoFailedEntries()
    {

        var response = await _dapr.BulkPublishEventAsync("pubsub", "orders", [new Order(1, "a"), new Order(2, "b"), new Order(3, "c")]);

        Assert.Empty(response.FailedEntries);
        var ids = (await _app.WaitForAsync(r => r.Path == "/orders", 3)).Select(r => r.CloudEvent!.Value.GetProperty("data").GetProperty("id").GetInt32());
        Assert.Equal([1, 2, 3], ids.Order());
    }

    [Fact]
    public async Task PublishEvent_UnknownPubSub_InvalidArgumentWithDaprdMessage()
    {

        var error = await Assert.ThrowsAsync<DaprException>(() => _dapr.PublishEventAsync("nosuch", "orders", new Order(1, "a")));

        var status = GrpcAssert.HasStatus(error, StatusCode.InvalidArgument);
        Assert.Equal("pubsub nosuch is not found", status.Status.Detail);
        Assert.Equal("DAPR_PUBSUB_NOT_FOUND", GrpcAssert.ErrorInfo(error).Reason);
    }

    [Fact]
    public async Task PublishEvent_BadTtlMetadata_InvalidArgument()
    {

        var error = await Assert.ThrowsAsync<DaprException>(() =>
            _dapr.PublishEventAsync("pubsub", "orders", new Order(1, "a"), new Dictionary<string, string> { ["ttlInSeconds"] = "later" }));

        var status = GrpcAssert.HasStatus(error, StatusCode.InvalidArgument);
        Assert.Contains("ttlInSeconds 'later'", status.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "1")]
    [InlineData("1", "1")]
    public async Task BulkPublishEvent_MissingOrRepeatedEntryId_InvalidArgumentAndNothingPublished(string firstId, string secondId)
    {
        using var channel = SdkClients.Channel(Instance);
        var client = SdkClients.Generated(channel);
        var request = new BulkPublishRequest { PubsubName = "pubsub", Topic = "orders" };
        request.Entries.Add(new BulkPublishRequestEntry { EntryId = firstId, Event = ByteString.CopyFromUtf8("""{"id":1}"""), ContentType = "application/json" });
        request.Entries.Add(new BulkPublishRequestEntry { EntryId = secondId, Event = ByteString.CopyFromUtf8("""{"id":2}"""), ContentType = "application/json" });

        var error = await Assert.ThrowsAsync<RpcException>(() => client.BulkPublishEventAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("error marshaling events to bytes for topic orders pubsub pubsub", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("DAPR_PUBSUB_MARSHAL_EVENTS", GrpcAssert.ErrorInfo(error).Reason);
        await _sidecar.PublishAsync("orders", new { id = 3 });
        var delivered = await _app.WaitForAsync(r => r.Path == "/orders", 1);
        Assert.Equal([3], delivered.Select(r => r.CloudEvent!.Value.GetProperty("data").GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task BulkPublishEventAlpha1_StillServed()
    {
        using var channel = SdkClients.Channel(Instance);
        var request = new BulkPublishRequest { PubsubName = "pubsub", Topic = "orders" };
        request.Entries.Add(new BulkPublishRequestEntry { EntryId = "only", Event = ByteString.CopyFromUtf8("plain words"), ContentType = "text/plain" });

        // Deprecated in the proto, still called by clients that predate BulkPublishEvent; daprd serves both.
#pragma warning disable CS0612
        var response = await SdkClients.Generated(channel).BulkPublishEventAlpha1Async(request);
#pragma warning restore CS0612

        Assert.Empty(response.FailedEntries);
        var delivery = Assert.Single(await _app.WaitForAsync(r => r.Path == "/orders", 1));
        Assert.Equal("plain words", delivery.CloudEvent!.Value.GetProperty("data").GetString());
    }

    private static ActivityListener ListenTo(string sourceName)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
