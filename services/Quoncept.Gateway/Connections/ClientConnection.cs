using System.Threading.Channels;
using Quoncept.V1;

namespace Quoncept.Gateway.Connections;

/// <summary>
/// One client's Connect stream: who it is, where its character is, and the bounded queue of
/// messages waiting to be written to it. Everything written to the stream goes through
/// <see cref="TryEnqueue"/> and is written by <see cref="RunWriterAsync"/>, the only writer.
/// </summary>
internal sealed class ClientConnection
{
    /// <summary>The Terminate reason of a client that fell too far behind.</summary>
    public const string SlowConsumer = "slow_consumer";

    private readonly Channel<ServerMessage> _outbound;
    private readonly CancellationTokenSource _terminated = new();
    private Terminate? _termination;

    public ClientConnection(string connectionId, SessionIdentity identity, int outboundCapacity)
    {
        ConnectionId = connectionId;
        Identity = identity;
        _outbound = Channel.CreateBounded<ServerMessage>(new BoundedChannelOptions(outboundCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string ConnectionId { get; }
    public SessionIdentity Identity { get; }

    /// <summary>The system whose live events this connection receives; null while the character is offline. Guarded by the router.</summary>
    public string? SystemId { get; internal set; }

    /// <summary>The sequence number of the snapshot the client holds for <see cref="SystemId"/>. Guarded by the router.</summary>
    public ulong SnapshotSequence { get; internal set; }

    /// <summary>Set once the server decided to end this stream (replaced, slow consumer, shutdown).</summary>
    public Terminate? Termination => Volatile.Read(ref _termination);

    public CancellationToken TerminatedToken => _terminated.Token;

    /// <summary>Queues a message without waiting. A full queue means the client cannot keep up: it is terminated.</summary>
    public bool TryEnqueue(ServerMessage message)
    {
        if (_outbound.Writer.TryWrite(message))
        {
            GatewayMetrics.Enqueued();
            return true;
        }
        if (Termination is null)
        {
            Terminate(SlowConsumer, $"the client fell more than {_outbound.Reader.Count} messages behind; reconnect and log in again for a fresh snapshot");
        }
        return false;
    }

    /// <summary>Ends the stream with a Terminate message; the first reason wins.</summary>
    public void Terminate(string reason, string message)
    {
        if (Interlocked.CompareExchange(ref _termination, new Terminate { Reason = reason, Message = message }, null) is not null) return;
        GatewayMetrics.Terminated(reason);
        _outbound.Writer.TryComplete();
        _terminated.Cancel();
    }

    /// <summary>
    /// Writes queued messages until the call ends or the connection is terminated. A message with
    /// more queued behind it is written buffered (<paramref name="write"/>'s flag), the last one of a
    /// run flushes: under fan-out load many messages share one flush instead of a syscall each. On termination
    /// the rest of the queue is dropped and the Terminate message is written after the unfinished
    /// write; both together are bounded by <paramref name="terminateTimeout"/>, since a client that
    /// stopped reading accepts neither. Never two writes at once: a stream has one writer.
    /// </summary>
    /// <returns>True when the connection was terminated and its Terminate message was written.</returns>
    public async Task<bool> RunWriterAsync(Func<ServerMessage, bool, Task> write, TimeSpan terminateTimeout, CancellationToken callToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, _terminated.Token);
        var reader = _outbound.Reader;
        Task pending = Task.CompletedTask;
        try
        {
            while (await reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                while (!linked.IsCancellationRequested && reader.TryRead(out var message))
                {
                    GatewayMetrics.Dequeued();
                    pending = write(message, reader.Count > 0);
                    await pending.WaitAsync(linked.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // The call's transport failed under the write: nothing more can be written.
            return false;
        }
        if (callToken.IsCancellationRequested || Termination is not { } termination) return false;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(callToken);
            deadline.CancelAfter(terminateTimeout);
            await pending.WaitAsync(deadline.Token).ConfigureAwait(false);
            await write(new ServerMessage { Terminate = termination }, false).WaitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client is gone or too slow to take even the Terminate: the caller resets the stream.
            return false;
        }
    }

    /// <summary>Stops the writer when the call ends for any other reason (client gone, handler done).</summary>
    public void Complete() => _outbound.Writer.TryComplete();

    /// <summary>Once the call is over and its writer done: what was never written leaves the queue (and the queue-depth gauge).</summary>
    public void DropQueued()
    {
        var dropped = 0;
        while (_outbound.Reader.TryRead(out _)) dropped++;
        if (dropped > 0) GatewayMetrics.Dequeued(dropped);
    }
}
