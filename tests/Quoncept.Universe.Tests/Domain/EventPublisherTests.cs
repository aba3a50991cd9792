using System.Text.Json;
using Dapr.Client;
using Dapr.Client.Autogen.Grpc.v1;
using Microsoft.Extensions.Logging.Abstractions;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;
using Quoncept.Universe.Tests.Sandbox;

namespace Quoncept.Universe.Tests.Domain;

/// <summary>
/// The publisher's group commit, through the SDK's real DaprClient (gRPC) to a sidecar stand-in that holds its
/// first request until the test lets it go: what queues meanwhile goes in one bulk publish, and
/// one turn's events never share a batch.
/// </summary>
public sealed class EventPublisherTests : IAsyncDisposable
{
    private readonly HeldSidecar _sidecar = new();
    private readonly EventPublisher _publisher;

    public EventPublisherTests() =>
        _publisher = new EventPublisher(
            new DaprClientBuilder()
                .UseGrpcEndpoint("http://127.0.0.1:50001")
                .UseGrpcChannelOptions(new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = _sidecar })
                .UseJsonSerializationOptions(WireJson.Options)
                .Build(),
            NullLogger<EventPublisher>.Instance);

    public async ValueTask DisposeAsync() => await _publisher.DisposeAsync();

    [Fact]
    public async Task PublishAsync_TurnsQueueWhileEveryRequestIsInFlight_SentTogetherInOneBulkPublish()
    {
        var singles = new List<Task<int>>();
        for (var i = 0; i < EventPublisher.MaxInFlight; i++)
        {
            singles.Add(_publisher.PublishAsync([Chat("single" + i)], CancellationToken.None));
            await _sidecar.ArrivedAsync(i + 1);
        }

        var queued = Enumerable.Range(0, 5).Select(i => _publisher.PublishAsync([Chat("x" + i)], CancellationToken.None)).ToArray();
        _sidecar.Release();

        Assert.All(await Task.WhenAll(singles.Concat(queued)), published => Assert.Equal(1, published));
        var requests = _sidecar.Requests;
        Assert.Equal(EventPublisher.MaxInFlight + 1, requests.Count);
        Assert.All(requests.Take(EventPublisher.MaxInFlight), r => Assert.Equal("PublishEvent", r.Method));
        Assert.Equal("BulkPublishEvent", requests[^1].Method);
        Assert.Equal(["x0", "x1", "x2", "x3", "x4"], requests[^1].Texts);
    }

    [Fact]
    public async Task PublishAsync_OneTurnsEvents_OnePerBatchAndInOrder()
    {
        var first = _publisher.PublishAsync([Chat("first")], CancellationToken.None);
        await _sidecar.FirstRequestArrived;
        var a = _publisher.PublishAsync([Chat("a1"), Chat("a2"), Chat("a3")], CancellationToken.None);
        var b = _publisher.PublishAsync([Chat("b1"), Chat("b2")], CancellationToken.None);
        _sidecar.Release();

        Assert.Equal((1, 3, 2), (await first, await a, await b));
        var sent = _sidecar.Requests.Select(r => r.Texts).ToList();
        Assert.All(sent, texts => Assert.True(texts.Count(t => t[0] == 'a') <= 1 && texts.Count(t => t[0] == 'b') <= 1, string.Join(",", texts)));
        Assert.Equal(["a1", "a2", "a3"], sent.SelectMany(t => t).Where(t => t[0] == 'a'));
        Assert.Equal(["b1", "b2"], sent.SelectMany(t => t).Where(t => t[0] == 'b'));
    }

    [Fact]
    public async Task PublishAsync_EntryOfABulkFails_ThatTurnStopsThereTheOthersArePublished()
    {
        _sidecar.FailText = "bad";
        var singles = new List<Task<int>>();
        for (var i = 0; i < EventPublisher.MaxInFlight; i++)
        {
            singles.Add(_publisher.PublishAsync([Chat("single" + i)], CancellationToken.None));
            await _sidecar.ArrivedAsync(i + 1);
        }

        // Every slot is busy: these two queue and go together, as one bulk publish.
        var good = _publisher.PublishAsync([Chat("good")], CancellationToken.None);
        var failing = _publisher.PublishAsync([Chat("bad"), Chat("after")], CancellationToken.None);
        _sidecar.Release();

        Assert.Equal((1, 0), (await good, await failing));
        Assert.All(await Task.WhenAll(singles), published => Assert.Equal(1, published));
        Assert.Contains(_sidecar.Requests, r => r.Method == "BulkPublishEvent" && r.Texts.SequenceEqual(["good", "bad"]));
        Assert.DoesNotContain("after", _sidecar.Requests.SelectMany(r => r.Texts));
    }

    [Fact]
    public async Task PublishAsync_SidecarRefusesTheRequest_NothingCountsAsPublished()
    {
        _sidecar.Release();
        _sidecar.RefuseAll = true;
        Assert.Equal(0, await _publisher.PublishAsync([Chat("one"), Chat("two")], CancellationToken.None));
        Assert.Equal(["one"], _sidecar.Requests.Single().Texts);
    }

    [Fact]
    public async Task PublishAsync_SystemChat_GoesToEventsAndToTheFirehose()
    {
        _sidecar.Release();
        Assert.Equal(2, await _publisher.PublishAsync([Chat("one"), Chat("two")], CancellationToken.None));
        Assert.Equal(["one", "two"], _sidecar.Requests.SelectMany(r => r.Texts));
        Assert.Equal(["one", "two"], _sidecar.Firehose);
    }

    [Fact]
    public async Task PublishAsync_FirehoseRefusesSystemChat_NotPublishedSoTheOutboxKeepsIt()
    {
        _sidecar.Release();
        _sidecar.RefuseFirehose = true;
        Assert.Equal(0, await _publisher.PublishAsync([Chat("one"), Chat("two")], CancellationToken.None));
        Assert.Equal(["one"], _sidecar.Firehose);
    }

    private static ChatPosted Chat(string text) =>
        new("s1", 1, "c1", "Alice", text) { EventId = Guid.NewGuid().ToString("N"), OccurredAtUnixMs = 1 };

    /// <summary>Answers publish and bulk publish like the sidecar's gRPC API; holds the first request until <see cref="Release"/>.</summary>
    private sealed class HeldSidecar : HttpMessageHandler
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(string Method, string[] Texts)> _requests = [];
        private readonly List<string> _firehose = [];
        private int _arrivals;

        public Task FirstRequestArrived => _arrived.Task;

        /// <summary>Completes once <paramref name="count"/> requests have reached the stand-in (and are held there).</summary>
        public async Task ArrivedAsync(int count)
        {
            for (var waited = 0; Volatile.Read(ref _arrivals) < count; waited += 10)
            {
                if (waited > 10_000) throw new TimeoutException($"{Volatile.Read(ref _arrivals)} of {count} requests arrived");
                await Task.Delay(10);
            }
        }

        public string? FailText { get; set; }

        public bool RefuseAll { get; set; }

        /// <summary>Refuse every publish to the firehose topic "chat".</summary>
        public bool RefuseFirehose { get; set; }

        /// <summary>The texts published to the firehose topic "chat", in arrival order.</summary>
        public IReadOnlyList<string> Firehose { get { lock (_requests) return [.. _firehose]; } }

        public IReadOnlyList<(string Method, string[] Texts)> Requests { get { lock (_requests) return [.. _requests]; } }

        public void Release() => _released.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var method = DaprGrpcFrames.DaprMethod(request);
            List<(string Id, Google.Protobuf.ByteString Event)> entries;
            string topic;
            if (method == "PublishEvent")
            {
                var publish = await DaprGrpcFrames.ReadAsync(request, PublishEventRequest.Parser, cancellationToken);
                (entries, topic) = ([("", publish.Data)], publish.Topic);
            }
            else if (method is "BulkPublishEvent" or "BulkPublishEventAlpha1")
            {
                var bulk = await DaprGrpcFrames.ReadAsync(request, BulkPublishRequest.Parser, cancellationToken);
                (entries, topic) = ([.. bulk.Entries.Select(e => (e.EntryId, e.Event))], bulk.Topic);
            }
            else
            {
                return DaprGrpcFrames.Status(12, $"{request.RequestUri!.AbsolutePath} is not served by the stand-in");
            }

            var texts = entries.Select(e => ((ChatPosted)JsonSerializer.Deserialize<UniverseEvent>(e.Event.Span, WireJson.Options)!).Text).ToArray();
            if (topic == Topics.Chat)
            {
                // The firehose copy of system chat: answered at once, so the held requests above are the "events" ones.
                lock (_requests) _firehose.AddRange(texts);
                return RefuseFirehose
                    ? DaprGrpcFrames.Status(13, "error when publish to topic chat in pubsub pubsub: broker down")
                    : method == "PublishEvent" ? DaprGrpcFrames.Answer(new Google.Protobuf.WellKnownTypes.Empty()) : DaprGrpcFrames.Answer(new BulkPublishResponse());
            }
            // Recorded in the order requests arrive, then held until the test lets them go.
            lock (_requests) _requests.Add((method, texts));
            Interlocked.Increment(ref _arrivals);
            _arrived.TrySetResult();
            await _released.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            if (RefuseAll) return DaprGrpcFrames.Status(13, "error when publish to topic events in pubsub pubsub: broker down");
            if (method == "PublishEvent")
            {
                return texts[0] == FailText
                    ? DaprGrpcFrames.Status(13, "error when publish to topic events in pubsub pubsub: refused")
                    : DaprGrpcFrames.Answer(new Google.Protobuf.WellKnownTypes.Empty());
            }

            var response = new BulkPublishResponse();
            response.FailedEntries.AddRange(entries.Where((e, i) => texts[i] == FailText).Select(e => new BulkPublishResponseFailedEntry { EntryId = e.Id, Error = "refused" }));
            return DaprGrpcFrames.Answer(response);
        }
    }
}
