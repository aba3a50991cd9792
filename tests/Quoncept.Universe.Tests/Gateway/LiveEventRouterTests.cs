using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quoncept.Gateway;
using Quoncept.Gateway.Connections;
using Quoncept.Gateway.Routing;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.Gateway;

public sealed class LiveEventRouterTests
{
    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    private static LiveEventRouter NewRouter(int recent = 8, IMeterFactory? meters = null) =>
        new(Options.Create(new GatewayOptions { RecentEventsPerSystem = recent }), meters ?? Meters);

    private static ClientConnection Connection(string character, int capacity = 16) =>
        new($"conn-{character}", new SessionIdentity(character, $"sess-{character}", character), capacity);

    private static ServerMessage Chat(string system, ulong seq, string from) =>
        new() { ChatMessage = new ChatMessage { SystemId = system, Sequence = seq, CharacterId = from, Text = $"m{seq}" } };

    private static List<ServerMessage> Drain(ClientConnection connection)
    {
        var written = new List<ServerMessage>();
        connection.Complete();
        connection.RunWriterAsync((m, _) => { written.Add(m.Message); return Task.CompletedTask; }, TimeSpan.FromSeconds(1), CancellationToken.None).GetAwaiter().GetResult();
        return written;
    }

    [Fact]
    public void DeliverSystemEvent_MembersOfThatSystemOnly_ReceiveIt()
    {
        var router = NewRouter();
        var alice = Connection("alice");
        var bob = Connection("bob");
        var carol = Connection("carol");
        foreach (var c in new[] { alice, bob, carol }) router.Add(c);
        router.EnterSystem(alice, "s1", 0);
        router.EnterSystem(bob, "s1", 0);
        router.EnterSystem(carol, "s2", 0);

        var delivered = router.DeliverSystemEvent("s1", 1, "alice", Chat("s1", 1, "alice"));

        Assert.Equal(1, delivered);
        Assert.Single(Drain(bob));
        Assert.Empty(Drain(alice));
        Assert.Empty(Drain(carol));
    }

    [Fact]
    public void DeliverSystemEvent_Redelivered_IsDroppedTheSecondTime()
    {
        var router = NewRouter();
        var bob = Connection("bob");
        router.Add(bob);
        router.EnterSystem(bob, "s1", 0);

        Assert.Equal(1, router.DeliverSystemEvent("s1", 1, null, Chat("s1", 1, "x")));
        Assert.Equal(0, router.DeliverSystemEvent("s1", 1, null, Chat("s1", 1, "x")));
        Assert.Single(Drain(bob));
    }

    [Fact]
    public void EnterSystem_EventsNewerThanSnapshotSeenBeforeJoin_AreReplayedInOrder()
    {
        var router = NewRouter();
        router.DeliverSystemEvent("s1", 6, null, Chat("s1", 6, "x"));
        router.DeliverSystemEvent("s1", 4, null, Chat("s1", 4, "x"));
        router.DeliverSystemEvent("s1", 5, null, Chat("s1", 5, "x"));
        var bob = Connection("bob");
        router.Add(bob);

        router.EnterSystem(bob, "s1", 4);

        Assert.Equal([5UL, 6UL], Drain(bob).Select(m => m.ChatMessage.Sequence));
    }

    [Fact]
    public void DeliverSystemEvent_OlderThanMembersSnapshot_IsNotDelivered()
    {
        var router = NewRouter();
        var bob = Connection("bob");
        router.Add(bob);
        router.EnterSystem(bob, "s1", 10);

        Assert.Equal(0, router.DeliverSystemEvent("s1", 9, null, Chat("s1", 9, "x")));
        Assert.Equal(1, router.DeliverSystemEvent("s1", 11, null, Chat("s1", 11, "x")));
    }

    [Fact]
    public void EnterSystem_AnotherSystem_LeavesThePreviousOne()
    {
        var router = NewRouter();
        var bob = Connection("bob");
        router.Add(bob);
        router.EnterSystem(bob, "s1", 0);
        router.EnterSystem(bob, "s2", 0);

        Assert.Equal(0, router.DeliverSystemEvent("s1", 1, null, Chat("s1", 1, "x")));
        Assert.Equal(1, router.DeliverSystemEvent("s2", 1, null, Chat("s2", 1, "x")));
        Assert.Equal("s2", bob.SystemId);
    }

    [Fact]
    public void DeliverSystemEvent_QueueFull_TerminatesAsSlowConsumer()
    {
        var router = NewRouter();
        var slow = Connection("slow", capacity: 2);
        router.Add(slow);
        router.EnterSystem(slow, "s1", 0);

        for (ulong i = 1; i <= 3; i++) router.DeliverSystemEvent("s1", i, null, Chat("s1", i, "x"));

        Assert.Equal("slow_consumer", slow.Termination?.Reason);
        Assert.True(slow.TerminatedToken.IsCancellationRequested);
    }

    [Fact]
    public async Task RunWriterAsync_Terminated_WritesTerminateLast()
    {
        var connection = Connection("alice");
        var written = new List<ServerMessage>();
        connection.TryEnqueue(Chat("s1", 1, "x"));
        var writer = connection.RunWriterAsync((m, _) => { written.Add(m.Message); return Task.CompletedTask; }, TimeSpan.FromSeconds(1), CancellationToken.None);
        await Task.Delay(50);
        connection.Terminate("replaced", "a newer session");
        await writer.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(ServerMessage.BodyOneofCase.Terminate, written[^1].BodyCase);
        Assert.Equal("replaced", written[^1].Terminate.Reason);
    }

    [Fact]
    public async Task RunWriterAsync_MessagesQueuedBehind_WrittenBufferedAndTheLastOfTheRunFlushes()
    {
        var connection = Connection("alice");
        for (ulong i = 1; i <= 4; i++) connection.TryEnqueue(Chat("s1", i, "x"));
        connection.Complete();
        var buffered = new List<bool>();
        await connection.RunWriterAsync((_, b) => { buffered.Add(b); return Task.CompletedTask; }, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal([true, true, true, false], buffered);
    }

    [Fact]
    public async Task RunWriterAsync_LongRunQueuedBehind_FlushesEverySixteenKilobytes()
    {
        // Only a flush waits for the client to read: a run written buffered without end moved the whole queue into the
        // server's stream buffers, whatever the queue's capacity.
        var connection = Connection("alice", capacity: 200);
        var line = new string('x', 400);
        for (ulong i = 1; i <= 120; i++)
        {
            connection.TryEnqueue(new ServerMessage { ChatMessage = new ChatMessage { SystemId = "s1", Sequence = i, CharacterId = "bob", Text = line } });
        }
        connection.Complete();
        var runs = new List<int>();
        var run = 0;
        await connection.RunWriterAsync((m, buffered) =>
        {
            run += m.Bytes.Length;
            if (!buffered) { runs.Add(run); run = 0; }
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.True(runs.Count >= 3, $"{runs.Count} flushes for {120 * 400} bytes");
        Assert.All(runs, bytes => Assert.InRange(bytes, 1, ClientConnection.MaxUnflushedBytes + 420));
        Assert.Equal(0, run);
    }

    [Fact]
    public async Task RunWriterAsync_ClientNeverAcceptsTerminate_GivesUpAfterTimeout()
    {
        var connection = Connection("alice");
        var blocked = new TaskCompletionSource();
        connection.TryEnqueue(Chat("s1", 1, "x"));
        var writer = connection.RunWriterAsync((_, _) => blocked.Task, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        await Task.Delay(50);
        connection.Terminate("slow_consumer", "behind");

        await writer.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(blocked.Task.IsCompleted);
    }

    [Fact]
    public void EndSession_HeldHere_TerminatesThatConnectionOnly()
    {
        var router = NewRouter();
        var alice = Connection("alice");
        var bob = Connection("bob");
        router.Add(alice);
        router.Add(bob);

        Assert.True(router.EndSession("sess-alice", null, "replaced", "newer session"));
        Assert.False(router.EndSession("sess-nobody", null, "replaced", "newer session"));
        Assert.False(router.EndSession("sess-alice", "conn-bob", "replaced", "wrong connection"));
        Assert.Equal("replaced", alice.Termination?.Reason);
        Assert.Null(bob.Termination);
    }

    [Fact]
    public void EndSession_TakenOverByAnotherConnection_TerminatesTheOldOneOnly()
    {
        var router = NewRouter();
        var old = Connection("alice");
        var taker = new ClientConnection("conn-alice-2", old.Identity, 16);
        router.Add(old);
        router.Add(taker);

        Assert.True(router.EndSession("sess-alice", "conn-alice", "replaced", "another connection took the session"));
        Assert.Equal("replaced", old.Termination?.Reason);
        Assert.Null(taker.Termination);
    }

    [Fact]
    public void Add_SameConnectionIdAgain_EndsThePreviousStream()
    {
        var router = NewRouter();
        var first = Connection("alice");
        var second = new ClientConnection(first.ConnectionId, first.Identity, 16);
        router.Add(first);
        router.EnterSystem(first, "s1", 0);

        router.Add(second);

        Assert.Equal("reconnected", first.Termination?.Reason);
        Assert.Null(second.Termination);
        Assert.Equal(0, router.DeliverSystemEvent("s1", 1, null, Chat("s1", 1, "x")));
    }

    [Fact]
    public void OutboundQueued_EventsAndAnswersWaitThenAreWritten_GaugeIsWhatWaitsInTheRoutedConnections()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var router = NewRouter(meters: meters);
        var alice = Connection("alice");
        var bob = Connection("bob");
        foreach (var c in new[] { alice, bob }) router.Add(c);
        router.EnterSystem(alice, "s1", 0);
        router.EnterSystem(bob, "s1", 0);
        Assert.Equal(0, ObserveQueued(meters));

        for (ulong seq = 1; seq <= 3; seq++) router.DeliverSystemEvent("s1", seq, "carol", Chat("s1", seq, "carol"));
        alice.TryAnswer(new ServerMessage { RequestId = "r1", Pong = new Pong() });
        Assert.Equal(7, ObserveQueued(meters));

        Assert.Equal(4, Drain(alice).Count);
        Assert.Equal(3, ObserveQueued(meters));
        router.Remove(bob);
        Assert.Equal(0, ObserveQueued(meters));
    }

    /// <summary>The gateway's queue-depth gauge as a metrics exporter reads it, from this factory's meter only.</summary>
    private static long ObserveQueued(IMeterFactory meters)
    {
        long observed = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "quoncept.gateway.outbound.queued") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observed = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return observed;
    }
}
