using System.Threading.Channels;
using Quoncept.Testing.V1;

namespace Quoncept.Benchmarks.Fanout;

/// <summary>One subscriber's queue; counted, since a single-reader channel does not count.</summary>
internal sealed class FanoutSubscriber
{
    private readonly Channel<Broadcast> _queue = Channel.CreateUnbounded<Broadcast>(new UnboundedChannelOptions { SingleReader = true });
    private int _queued;

    public int Queued => Volatile.Read(ref _queued);

    public void Offer(Broadcast broadcast)
    {
        if (Interlocked.Increment(ref _queued) > FanoutServer.MaxQueued) _queue.Writer.TryComplete(new IOException("the subscriber fell behind"));
        else _queue.Writer.TryWrite(broadcast);
    }

    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _queue.Reader.WaitToReadAsync(cancellationToken);

    public bool TryTake(out Broadcast broadcast)
    {
        if (!_queue.Reader.TryRead(out broadcast!)) return false;
        Interlocked.Decrement(ref _queued);
        return true;
    }
}
