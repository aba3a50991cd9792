using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// <c>pubsub.in-memory</c> (https://docs.dapr.io/reference/components-reference/supported-pubsub/setup-inmemory/):
/// each (topic, consumer group) has one bounded queue; every subscriber of the group runs
/// as many loops reading it as the subscription's concurrency, so replicas compete. A publish waits while a
/// group's queue is full. Messages published while a topic has no subscriber are dropped, as in daprd.
/// </summary>
internal sealed class InMemoryPubSub(string name, ILogger logger, int queueCapacity = 10_000) : IPubSub
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Group>> _topics = new(StringComparer.Ordinal);
    private readonly Lock _membership = new();

    public string Name { get; } = name;

    public async ValueTask PublishAsync(PubSubMessage message, CancellationToken cancellationToken)
    {
        if (!_topics.TryGetValue(message.Topic, out var groups))
        {
            return;
        }
        foreach (var group in groups.Values)
        {
            await group.Queue.Writer.WriteAsync(message, cancellationToken);
        }
    }

    public IAsyncDisposable Subscribe(string topic, string consumerGroup, Func<PubSubMessage, CancellationToken, ValueTask> handler, int concurrency)
    {
        Group group;
        lock (_membership)
        {
            var groups = _topics.GetOrAdd(topic, _ => new ConcurrentDictionary<string, Group>(StringComparer.Ordinal));
            group = groups.GetOrAdd(consumerGroup, _ => new Group(Channel.CreateBounded<PubSubMessage>(
                new BoundedChannelOptions(queueCapacity) { FullMode = BoundedChannelFullMode.Wait })));
            group.Members++;
        }
        var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, Math.Max(1, concurrency))
            .Select(_ => Task.Run(() => DeliverAsync(group.Queue.Reader, handler, stop.Token)))
            .ToArray();
        return new Subscription(this, topic, consumerGroup, group, stop, workers);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var group in _topics.Values.SelectMany(g => g.Values))
        {
            group.Queue.Writer.TryComplete();
        }
        _topics.Clear();
        return ValueTask.CompletedTask;
    }

    // ReadAsync hands each message to the reader that has waited longest (FIFO), so the workers of
    // every member of a group take turns instead of the earliest subscriber winning every wake-up.
    private async Task DeliverAsync(ChannelReader<PubSubMessage> reader, Func<PubSubMessage, CancellationToken, ValueTask> handler, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                if (!reader.TryRead(out var message))
                {
                    message = await reader.ReadAsync(stop);
                }
                try
                {
                    await handler(message, stop);
                }
                catch (Exception error) when (error is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    logger.LogError(error, "pubsub {PubSub}: handler failed for topic {Topic}; message dropped", Name, message.Topic);
                }
            }
        }
        catch (ChannelClosedException)
        {
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private void Leave(string topic, string consumerGroup, Group group)
    {
        lock (_membership)
        {
            if (--group.Members > 0 || !_topics.TryGetValue(topic, out var groups))
            {
                return;
            }
            groups.TryRemove(consumerGroup, out _);
            group.Queue.Writer.TryComplete();
            if (groups.IsEmpty)
            {
                _topics.TryRemove(topic, out _);
            }
        }
    }

    private sealed class Group(Channel<PubSubMessage> queue)
    {
        public Channel<PubSubMessage> Queue { get; } = queue;

        public int Members { get; set; }
    }

    private sealed class Subscription(InMemoryPubSub owner, string topic, string consumerGroup, Group group, CancellationTokenSource stop, Task[] workers)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            owner.Leave(topic, consumerGroup, group);
            await stop.CancelAsync();
            await Task.WhenAll(workers);
            stop.Dispose();
        }
    }
}
