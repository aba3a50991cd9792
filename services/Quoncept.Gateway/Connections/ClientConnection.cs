using System.Collections.Concurrent;
using System.Threading.Channels;
using Quoncept.Gateway.Streams;
using Quoncept.V1;

namespace Quoncept.Gateway.Connections;

/// <summary>
/// One client's Connect stream: who it is, where its character is, and the messages waiting to be
/// written to it, in two bounded lanes: the ordered lane (live events, and the answers that must
/// stay in order with them: Login, Move and Logout results, which say where the character is) and
/// the answer lane (every other answer: a chat's result does not wait behind the events queued
/// for this client). <see cref="RunWriterAsync"/> is the only writer and takes answers first.
/// </summary>
internal sealed class ClientConnection
{
    /// <summary>The Terminate reason of a client that fell too far behind.</summary>
    public const string SlowConsumer = "slow_consumer";

    /// <summary>
    /// Answers waiting at most. The read loop stops taking requests while this many wait
    /// (<see cref="WaitForAnswerRoomAsync"/>), so a client that sends faster than it reads is slowed down, not
    /// cut off; more can only queue if something answers outside the read loop.
    /// </summary>
    public const int AnswerCapacity = 64;

    /// <summary>
    /// Bytes written buffered at most before a flush. Only a flush waits for the client to read: without this, a
    /// writer that always finds more queued moved the whole queue into the server's stream buffers, unbounded by the
    /// queue's capacity (about 60 KB of pooled memory per slow client, never cut off).
    /// </summary>
    public const int MaxUnflushedBytes = 16 * 1024;

    // Wakes the writer for an answer; not a message, never counted.
    private static readonly OutboundMessage Wake = new(new ServerMessage());

    private readonly Channel<OutboundMessage> _ordered = Channel.CreateUnbounded<OutboundMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<OutboundMessage> _answers = new();
    private readonly CancellationTokenSource _terminated = new();
    private readonly int _capacity;
    private int _orderedCount;
    private int _answerCount;
    private Terminate? _termination;
    private int _wantedLiveKinds = Social.LiveKindFilter.All;
    private TaskCompletionSource? _answerRoom;

    public ClientConnection(string connectionId, SessionIdentity identity, int outboundCapacity)
    {
        ConnectionId = connectionId;
        Identity = identity;
        _capacity = outboundCapacity;
    }

    public string ConnectionId { get; }
    public SessionIdentity Identity { get; }

    /// <summary>The session actor's number for this stream's attachment; its detach carries it back.</summary>
    public long Attachment { get; init; }

    /// <summary>The system whose live events this connection receives; null while the character is offline. Guarded by the router.</summary>
    public string? SystemId { get; internal set; }

    /// <summary>The sequence number of the snapshot the client holds for <see cref="SystemId"/>. Guarded by the router.</summary>
    public ulong SnapshotSequence { get; internal set; }

    /// <summary>The live event kinds this stream wants (social.proto's Subscribe); other live events are not queued.</summary>
    public int WantedLiveKinds { get => Volatile.Read(ref _wantedLiveKinds); set => Volatile.Write(ref _wantedLiveKinds, value); }

    /// <summary>Set once the server decided to end this stream (replaced, slow consumer, shutdown).</summary>
    public Terminate? Termination => Volatile.Read(ref _termination);

    public CancellationToken TerminatedToken => _terminated.Token;

    /// <summary>Messages waiting in the ordered lane.</summary>
    public int Queued => Volatile.Read(ref _orderedCount);

    /// <summary>Messages waiting in both lanes (the gateway's queue-depth gauge sums it).</summary>
    public int Waiting => Volatile.Read(ref _orderedCount) + Volatile.Read(ref _answerCount);

    public bool TryEnqueue(ServerMessage message) => TryEnqueue(new OutboundMessage(message));

    /// <summary>
    /// Queues a message in the ordered lane without waiting (<paramref name="message"/> may be shared
    /// with other connections). A full lane means the client cannot keep up: it is terminated.
    /// </summary>
    public bool TryEnqueue(OutboundMessage message)
    {
        if (message.Message.RequestId.Length == 0 && !Social.LiveKindFilter.Allows(WantedLiveKinds, message.Message.BodyCase)) return false;
        if (Interlocked.Increment(ref _orderedCount) > _capacity)
        {
            Interlocked.Decrement(ref _orderedCount);
            CutOff($"the client fell more than {_capacity} messages behind");
            return false;
        }

        if (_ordered.Writer.TryWrite(message)) return true;
        Interlocked.Decrement(ref _orderedCount); // terminated or completed: the writer is gone
        return false;
    }

    /// <summary>Queues an answer ahead of the queued events; Login, Move and Logout results go through <see cref="TryEnqueue(ServerMessage)"/> instead.</summary>
    public bool TryAnswer(ServerMessage message)
    {
        if (Interlocked.Increment(ref _answerCount) > AnswerCapacity)
        {
            Interlocked.Decrement(ref _answerCount);
            CutOff($"the client left more than {AnswerCapacity} answers unread");
            return false;
        }

        _answers.Enqueue(new OutboundMessage(message));
        return _ordered.Writer.TryWrite(Wake);
    }

    /// <summary>Completes once fewer than <see cref="AnswerCapacity"/> answers wait to be written (at once when they already do).</summary>
    public Task WaitForAnswerRoomAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _answerCount) < AnswerCapacity) return Task.CompletedTask;
        var room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _answerRoom, room);
        // The writer may have taken an answer between the first look and the exchange, without seeing this waiter.
        if (Volatile.Read(ref _answerCount) < AnswerCapacity) room.TrySetResult();
        return room.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Ends the stream with a Terminate message; the first reason wins.</summary>
    public void Terminate(string reason, string message)
    {
        if (Interlocked.CompareExchange(ref _termination, new Terminate { Reason = reason, Message = message }, null) is not null) return;
        GatewayMetrics.Terminated(reason);
        _ordered.Writer.TryComplete();
        _terminated.Cancel();
    }

    /// <summary>
    /// Writes queued messages, answers first, until the call ends or the connection is terminated. A
    /// message with more queued behind it is written buffered (<paramref name="write"/>'s flag), the
    /// last one of a run, or the one that brings the run to <see cref="MaxUnflushedBytes"/>, flushes: under
    /// fan-out load many messages share one flush instead of a syscall each, and a client that stops reading
    /// makes the queue fill (and is cut off) instead of the server's buffers. On termination the rest of the
    /// queue is dropped and the Terminate message is written after the unfinished write; both together are bounded by <paramref name="terminateTimeout"/>,
    /// since a client that stopped reading accepts neither. Never two writes at once: a stream has one writer.
    /// </summary>
    /// <returns>True when the connection was terminated and its Terminate message was written.</returns>
    public async Task<bool> RunWriterAsync(Func<OutboundMessage, bool, Task> write, TimeSpan terminateTimeout, CancellationToken callToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, _terminated.Token);
        var reader = _ordered.Reader;
        Task pending = Task.CompletedTask;
        var unflushed = 0;
        try
        {
            while (await reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                while (!linked.IsCancellationRequested && TryTake(reader, out var message))
                {
                    // The counts include what producers are about to queue: buffered only when another write follows.
                    unflushed += message.Bytes.Length;
                    var more = unflushed < MaxUnflushedBytes && Volatile.Read(ref _answerCount) + Volatile.Read(ref _orderedCount) > 0;
                    if (!more) unflushed = 0;
                    pending = write(message, more);
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
            await write(new OutboundMessage(new ServerMessage { Terminate = termination }), false).WaitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client is gone or too slow to take even the Terminate: the caller resets the stream.
            return false;
        }
    }

    /// <summary>Stops the writer when the call ends for any other reason (client gone, handler done).</summary>
    public void Complete() => _ordered.Writer.TryComplete();

    /// <summary>Once the call is over and its writer done: what was never written leaves the lanes.</summary>
    public void DropQueued()
    {
        while (TryTake(_ordered.Reader, out _)) { }
    }

    private void CutOff(string why)
    {
        if (Termination is null) Terminate(SlowConsumer, why + "; reconnect and log in again for a fresh snapshot");
    }

    private bool TryTake(ChannelReader<OutboundMessage> reader, out OutboundMessage message)
    {
        if (_answers.TryDequeue(out message!))
        {
            AnswerTaken();
            return true;
        }

        while (reader.TryRead(out message!))
        {
            if (ReferenceEquals(message, Wake)) continue;
            Interlocked.Decrement(ref _orderedCount);
            return true;
        }

        // A Wake may have been read just before its answer became visible to this thread.
        if (_answers.TryDequeue(out message!))
        {
            AnswerTaken();
            return true;
        }

        return false;
    }

    private void AnswerTaken()
    {
        if (Interlocked.Decrement(ref _answerCount) < AnswerCapacity && Volatile.Read(ref _answerRoom) is not null)
        {
            Interlocked.Exchange(ref _answerRoom, null)?.TrySetResult();
        }
    }
}
