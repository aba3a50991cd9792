namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// The deliveries of one broker subscription in flight: at most <c>size</c> handlers run at once, each started in the
/// order the broker handed the messages out (a handler runs synchronously up to its first await, which is how a bulk
/// delivery keeps topic order in its batches). When a handler returns the message is settled (<c>acknowledge</c>);
/// when it throws, it is left to the broker to redeliver (<c>reject</c>). Ids still in flight are known, so a
/// redelivery sweep never hands out a message that is only slow.
/// </summary>
internal sealed class DeliveryWindow<TId>(int size, ILogger logger, string what) where TId : notnull
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, size));
    private readonly Dictionary<TId, Task> _inFlight = [];

    public bool IsInFlight(TId id)
    {
        lock (_inFlight)
        {
            return _inFlight.ContainsKey(id);
        }
    }

    /// <summary>Waits for a free slot, then starts the handler; returns once it has started.</summary>
    public async Task StartAsync(TId id, PubSubMessage message, Func<PubSubMessage, CancellationToken, ValueTask> handler,
        Func<Task> acknowledge, Func<Exception, Task> reject, CancellationToken stop)
    {
        await _slots.WaitAsync(stop);
        lock (_inFlight)
        {
            if (_inFlight.ContainsKey(id))
            {
                _slots.Release();
                return;
            }
            _inFlight[id] = Task.CompletedTask;
        }
        var running = RunAsync(id, message, handler, acknowledge, reject, stop);
        _ = running.ContinueWith(_ =>
        {
            lock (_inFlight)
            {
                _inFlight.Remove(id);
            }
            _slots.Release();
        }, TaskScheduler.Default);
        lock (_inFlight)
        {
            // Unless it has already finished and left.
            if (_inFlight.ContainsKey(id))
            {
                _inFlight[id] = running;
            }
        }
    }

    /// <summary>Waits (at most <paramref name="within"/>) for the handlers still running, after the subscription was stopped.</summary>
    public async Task DrainAsync(TimeSpan within)
    {
        Task[] running;
        lock (_inFlight)
        {
            running = [.. _inFlight.Values];
        }
        await Task.WhenAll(running).WaitAsync(within).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task RunAsync(TId id, PubSubMessage message, Func<PubSubMessage, CancellationToken, ValueTask> handler,
        Func<Task> acknowledge, Func<Exception, Task> reject, CancellationToken stop)
    {
        try
        {
            try
            {
                await handler(message, stop);
            }
            catch (Exception error)
            {
                if (!stop.IsCancellationRequested)
                {
                    logger.LogWarning("{What}: message {Id} on {Topic} not delivered ({Error}); left for redelivery", what, id, message.Topic, error.Message);
                }
                await reject(error);
                return;
            }
            await acknowledge();
        }
        catch (Exception error)
        {
            // The broker keeps an unacknowledged message: it comes back, at least once.
            logger.LogWarning("{What}: settling message {Id} on {Topic} failed ({Error}); it will be redelivered", what, id, message.Topic, error.Message);
        }
    }
}
