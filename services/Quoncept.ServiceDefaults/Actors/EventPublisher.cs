using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Quoncept.Contracts;
using Dapr;
using Dapr.Client;
using Quoncept.ServiceDefaults.Metrics;

namespace Quoncept.ServiceDefaults.Actors;

/// <summary>
/// Publishes saved events through the sidecar to <see cref="Topics.Events"/> (chat lines to
/// <see cref="Topics.Chat"/>, system chat to both, see <see cref="Topics.For"/>), serialized as
/// <see cref="UniverseEvent"/> so the JSON carries its "type" discriminator, which is what the
/// gateways' <see cref="Topics.LiveMatch"/> rule selects on.
/// Publishes of concurrent actor turns in this process are group-committed: one loop sends, with
/// at most <see cref="MaxInFlight"/> requests in flight, and the events that queue while all of
/// them are busy go together in the next one, as one bulk publish
/// (https://docs.dapr.io/reference/api/pubsub_api/#publish-multiple-messages-to-a-given-topic);
/// a lone event goes as a plain publish. Under load that is a handful of requests instead of one
/// per event; with little load an event goes at once, as it would alone. Dapr promises no order among the entries of a bulk
/// publish, so a turn's events go one at a time (the next is queued once the previous one is
/// acknowledged): a batch never holds two events of one actor.
/// </summary>
public sealed class EventPublisher : IAsyncDisposable
{
    public const int MaxBatch = 100;
    public const int MaxInFlight = 4;
    private const int QueueCapacity = 4096;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private static readonly ActivitySource Source = new("Quoncept.Services");

    private readonly DaprClient _dapr;
    private readonly ILogger<EventPublisher> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight, MaxInFlight);
    private readonly Task _loop;
    private readonly ConcurrentDictionary<Task, byte> _background = new();

    public EventPublisher(DaprClient dapr, ILogger<EventPublisher> logger)
    {
        _dapr = dapr;
        _logger = logger;
        // The loop serves every turn: it must not run inside the trace of whichever request created the publisher.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(SendLoopAsync);
        }
    }

    /// <summary>
    /// Publishes <paramref name="pending"/> in order, stopping at the first failure.
    /// Returns how many were published (all of them on success).
    /// </summary>
    public async Task<int> PublishAsync(IReadOnlyList<UniverseEvent> pending, CancellationToken cancellationToken)
    {
        for (var i = 0; i < pending.Count; i++)
        {
            var item = new Pending(pending[i]);
            Exception? failure;
            try
            {
                await _queue.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
                failure = await item.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                failure = new ObjectDisposedException(nameof(EventPublisher), "the publisher is stopping");
            }

            if (failure is not null)
            {
                _logger.LogWarning(failure, "Publishing {EventType} {EventId} failed; {Count} event(s) stay in the outbox for a retry", item.Event.GetType().Name, item.Event.EventId, pending.Count - i);
                return i;
            }
        }

        return pending.Count;
    }

    /// <summary>
    /// Keeps <paramref name="publishing"/>, a turn's publish that runs after the turn answered, until it ends, so that
    /// <see cref="WhenPublishedAsync"/> and a stop wait for it. Returns it.
    /// </summary>
    public Task Track(Task publishing)
    {
        if (!publishing.IsCompleted && _background.TryAdd(publishing, 0))
        {
            publishing.ContinueWith(done => _background.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return publishing;
    }

    /// <summary>Completes once every tracked publish has ended (published, or left in its outbox for a retry).</summary>
    public Task WhenPublishedAsync() => Task.WhenAll(_background.Keys);

    public async ValueTask DisposeAsync()
    {
        // The turns' publishes under way finish first; what the broker has not taken by then stays in the saved outboxes.
        await WhenPublishedAsync().WaitAsync(StopGrace).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _inFlight.Dispose();
    }

    private async Task SendLoopAsync()
    {
        var sending = new List<Task>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                await _inFlight.WaitAsync(_stop.Token).ConfigureAwait(false);
                // This loop is the only reader, so what WaitToReadAsync saw is still there: the batch is never empty.
                var batch = new List<Pending>();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                sending.RemoveAll(t => t.IsCompleted);
                sending.Add(SendAndReleaseAsync(batch));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }

        await Task.WhenAll(sending).ConfigureAwait(false);
        var stopped = new ObjectDisposedException(nameof(EventPublisher), "the publisher stopped before this event was sent");
        while (_queue.Reader.TryRead(out var left))
        {
            left.Done.TrySetResult(stopped);
        }
    }

    private async Task SendAndReleaseAsync(List<Pending> batch)
    {
        try
        {
            await SendAsync(batch).ConfigureAwait(false);
        }
        catch (Exception stopped)
        {
            // Failures per topic are answered in SendAsync; what gets here is the stop cancelling the send. The turns
            // waiting on these events learn they were not sent, instead of waiting for ever.
            foreach (var item in batch)
            {
                item.Done.TrySetResult(stopped);
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task SendAsync(List<Pending> batch)
    {
        // A bulk publish names one topic: the batch goes as one request per topic (Topics.For), in parallel, and an
        // event that goes to two topics (system chat) counts as published once both took it.
        var byTopic = batch.SelectMany(p => Topics.For(p.Event).Select(topic => (Topic: topic, Item: p))).GroupBy(t => t.Topic).ToList();
        var outcomes = byTopic.Count == 1
            ? [await SendToTopicAsync(byTopic[0].Key, batch).ConfigureAwait(false)]
            : await Task.WhenAll(byTopic.Select(g => SendToTopicAsync(g.Key, [.. g.Select(t => t.Item)]))).ConfigureAwait(false);
        var failures = new Dictionary<Pending, Exception>();
        foreach (var outcome in outcomes)
        {
            foreach (var (item, failure) in outcome) failures.TryAdd(item, failure);
        }
        foreach (var item in batch)
        {
            item.Done.TrySetResult(failures.GetValueOrDefault(item));
        }
    }

    /// <summary>Publishes <paramref name="batch"/> to <paramref name="topic"/>; returns the entries that failed, with why.</summary>
    private async Task<List<(Pending Item, Exception Failure)>> SendToTopicAsync(string topic, List<Pending> batch)
    {
        var start = Stopwatch.GetTimestamp();
        var operation = batch.Count == 1 ? "publish" : "bulk_publish";
        // The publish continues the trace of the turn that saved the event; a bulk one is a child of the first
        // turn's and linked to the others' (one request carries one trace context).
        using var span = Source.StartActivity(ActivityKind.Producer, batch[0].Trace,
            links: batch.Count > 1 ? batch.Skip(1).Select(p => new ActivityLink(p.Trace)).ToList() : null, name: $"{operation} {topic}");
        span?.SetTag("messaging.destination.name", topic);
        span?.SetTag("messaging.batch.message_count", batch.Count);
        try
        {
            if (batch.Count == 1)
            {
                await _dapr.PublishEventAsync<UniverseEvent>(Topics.PubSub, topic, batch[0].Event, _stop.Token).ConfigureAwait(false);
                ServiceMetrics.Published(topic, operation, 1, 0, start, null);
                return [];
            }

            var response = await _dapr.BulkPublishEventAsync<UniverseEvent>(Topics.PubSub, topic, [.. batch.Select(p => p.Event)], cancellationToken: _stop.Token).ConfigureAwait(false);
            var failed = new List<(Pending, Exception)>();
            foreach (var item in batch)
            {
                var entry = response.FailedEntries.FirstOrDefault(f => ReferenceEquals(f.Entry.EventData, item.Event));
                if (entry is not null) failed.Add((item, new DaprException(entry.ErrorMessage)));
            }
            ServiceMetrics.Published(topic, operation, batch.Count - failed.Count, failed.Count, start, failed.Count > 0 ? "entry_failed" : null);
            return failed;
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            ServiceMetrics.Published(topic, operation, 0, batch.Count, start, failure.GetType().Name);
            return [.. batch.Select(item => (item, failure))];
        }
    }

    private sealed class Pending(UniverseEvent e)
    {
        public UniverseEvent Event { get; } = e;

        /// <summary>The trace of the turn that handed the event over.</summary>
        public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;

        /// <summary>Null when published, else why not.</summary>
        public TaskCompletionSource<Exception?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
