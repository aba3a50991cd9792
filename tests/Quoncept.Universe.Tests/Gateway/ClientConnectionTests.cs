using Quoncept.Gateway.Connections;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.Gateway;

public sealed class ClientConnectionTests
{
    private static ClientConnection Connection(int capacity) =>
        new("conn-bob", new SessionIdentity("c-bob", "sess-bob", "bob"), capacity);

    private static ServerMessage Chat(ulong seq) =>
        new() { ChatMessage = new ChatMessage { SystemId = "s1", Sequence = seq, CharacterId = "c-alice", Text = $"m{seq}" } };

    [Fact]
    public async Task RunWriterAsync_QueueOverflowsWhileAWriteHangs_TheRestIsDroppedAndTerminateFollowsTheUnfinishedWrite()
    {
        var connection = Connection(capacity: 2);
        var written = new List<ServerMessage>();
        var clientReads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstTaken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = connection.RunWriterAsync((m, _) =>
        {
            lock (written) written.Add(m.Message);
            if (written.Count == 1)
            {
                firstTaken.SetResult();
                return clientReads.Task; // the client stopped reading: this write does not complete
            }
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(connection.TryEnqueue(Chat(1)));
        await firstTaken.Task;
        Assert.True(connection.TryEnqueue(Chat(2)));
        Assert.True(connection.TryEnqueue(Chat(3)));
        Assert.False(connection.TryEnqueue(Chat(4)));
        Assert.Equal(ClientConnection.SlowConsumer, connection.Termination?.Reason);
        Assert.True(connection.TerminatedToken.IsCancellationRequested);

        clientReads.SetResult(); // the client reads again
        Assert.True(await writer);
        Assert.Equal([ServerMessage.BodyOneofCase.ChatMessage, ServerMessage.BodyOneofCase.Terminate], written.Select(m => m.BodyCase));
        Assert.Equal(ClientConnection.SlowConsumer, written[1].Terminate.Reason);
        Assert.Contains("behind", written[1].Terminate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunWriterAsync_ClientNeverReadsAgain_ReportsTheTerminateUnwritten()
    {
        var connection = Connection(capacity: 1);
        var firstTaken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writes = 0;
        var writer = connection.RunWriterAsync((_, _) =>
        {
            if (Interlocked.Increment(ref writes) == 1) firstTaken.SetResult();
            return new TaskCompletionSource().Task; // never completes
        }, TimeSpan.FromMilliseconds(200), CancellationToken.None);

        connection.TryEnqueue(Chat(1));
        await firstTaken.Task;
        connection.TryEnqueue(Chat(2));
        Assert.False(connection.TryEnqueue(Chat(3)));

        Assert.False(await writer.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, writes); // neither the queued message nor the Terminate was started behind the hung write
    }

    [Fact]
    public async Task RunWriterAsync_TerminatedForAnotherReason_WritesThatTerminate()
    {
        var connection = Connection(capacity: 4);
        var written = new List<ServerMessage>();
        var writer = connection.RunWriterAsync((m, _) => { written.Add(m.Message); return Task.CompletedTask; }, TimeSpan.FromSeconds(30), CancellationToken.None);

        connection.Terminate("replaced", "a newer session took over");

        Assert.True(await writer);
        Assert.Equal("replaced", Assert.Single(written).Terminate.Reason);
    }

    [Fact]
    public async Task RunWriterAsync_AnswerQueuedBehindEvents_IsWrittenFirstAndTheLastWriteFlushes()
    {
        var connection = Connection(capacity: 16);
        for (ulong i = 1; i <= 3; i++) Assert.True(connection.TryEnqueue(Chat(i)));
        Assert.True(connection.TryAnswer(new ServerMessage { RequestId = "r1", ChatResult = new ChatResult { Sequence = 9 } }));
        connection.Complete();
        var written = new List<(ServerMessage Message, bool Buffered)>();

        await connection.RunWriterAsync((m, buffered) => { written.Add((m.Message, buffered)); return Task.CompletedTask; }, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal([ServerMessage.BodyOneofCase.ChatResult, .. Enumerable.Repeat(ServerMessage.BodyOneofCase.ChatMessage, 3)], written.Select(w => w.Message.BodyCase));
        Assert.Equal([1UL, 2UL, 3UL], written.Skip(1).Select(w => w.Message.ChatMessage.Sequence));
        Assert.Equal([true, true, true, false], written.Select(w => w.Buffered));
    }

    [Fact]
    public void TryAnswer_ClientLeavesAnswersUnread_IsCutOffAsSlowConsumer()
    {
        var connection = Connection(capacity: 16);
        for (var i = 0; i < ClientConnection.AnswerCapacity; i++) Assert.True(connection.TryAnswer(new ServerMessage { Pong = new Pong() }));

        Assert.False(connection.TryAnswer(new ServerMessage { Pong = new Pong() }));
        Assert.Equal(ClientConnection.SlowConsumer, connection.Termination?.Reason);
        Assert.Contains("answers unread", connection.Termination!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForAnswerRoomAsync_AnswersFull_WaitsUntilTheWriterTakesOne()
    {
        var connection = Connection(capacity: 16);
        Assert.True(connection.WaitForAnswerRoomAsync(CancellationToken.None).IsCompletedSuccessfully);
        for (var i = 0; i < ClientConnection.AnswerCapacity; i++) Assert.True(connection.TryAnswer(new ServerMessage { Pong = new Pong() }));

        var room = connection.WaitForAnswerRoomAsync(CancellationToken.None);
        Assert.False(room.IsCompleted);

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = 0;
        var writer = connection.RunWriterAsync(async (_, _) => { if (++written == 1) await release.Task; }, TimeSpan.FromSeconds(5), CancellationToken.None);
        await room.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(connection.Termination);
        release.SetResult();
        connection.Complete();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ClientConnection.AnswerCapacity, written);
    }
}
