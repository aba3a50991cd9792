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
    private readonly Channel<ServerMessage> _outbound;
    private readonly CancellationTokenSource _terminated = new();
    private Terminate? _termination;
    private int _wantedLiveKinds = Social.LiveKindFilter.All;

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

    /// <summary>The live event kinds this stream wants (social.proto's Subscribe); other live events are not queued.</summary>
    public int WantedLiveKinds { get => Volatile.Read(ref _wantedLiveKinds); set => Volatile.Write(ref _wantedLiveKinds, value); }

    /// <summary>Set once the server decided to end this stream (replaced, slow consumer, shutdown).</summary>
    public Terminate? Termination => Volatile.Read(ref _termination);

    public CancellationToken TerminatedToken => _terminated.Token;

    /// <summary>Queues a message without waiting. A full queue means the client cannot keep up: it is terminated.</summary>
    public bool TryEnqueue(ServerMessage message)
    {
        if (message.RequestId.Length == 0 && !Social.LiveKindFilter.Allows(WantedLiveKinds, message.BodyCase)) return false;
        if (_outbound.Writer.TryWrite(message)) return true;
        if (Termination is null)
        {
            Terminate("slow_consumer", $"the client fell more than {_outbound.Reader.Count} messages behind");
        }
        return false;
    }

    /// <summary>Ends the stream with a Terminate message; the first reason wins.</summary>
    public void Terminate(string reason, string message)
    {
        if (Interlocked.CompareExchange(ref _termination, new Terminate { Reason = reason, Message = message }, null) is not null) return;
        _outbound.Writer.TryComplete();
        _terminated.Cancel();
    }

    /// <summary>
    /// Writes queued messages until the call ends or the connection is terminated. A message with
    /// more queued behind it is written buffered (<paramref name="write"/>'s flag), the last one of a
    /// run flushes: under fan-out load many messages share one flush instead of a syscall each. On termination
    /// the Terminate message is written (the unfinished write plus the Terminate bounded by
    /// <paramref name="terminateTimeout"/>, since a slow client may accept neither) and the
    /// rest of the queue is dropped. Never two writes at once: a stream has one writer.
    /// </summary>
    public async Task RunWriterAsync(Func<ServerMessage, bool, Task> write, TimeSpan terminateTimeout, CancellationToken callToken)
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
                    pending = write(message, reader.Count > 0);
                    await pending.WaitAsync(linked.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
        }
        if (callToken.IsCancellationRequested || Termination is not { } termination) return;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(callToken);
            deadline.CancelAfter(terminateTimeout);
            await pending.WaitAsync(deadline.Token).ConfigureAwait(false);
            await write(new ServerMessage { Terminate = termination }, false).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client is gone or too slow to take even the Terminate: the call ends without it.
        }
    }

    /// <summary>Stops the writer when the call ends for any other reason (client gone, handler done).</summary>
    public void Complete() => _outbound.Writer.TryComplete();
}
