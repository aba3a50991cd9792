using Quoncept.Sidecar.Actors.Turns;

namespace Quoncept.Sidecar.Tests.Actors;

public sealed class ActorTurnLockTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task EnterAsync_ManyConcurrentCalls_NoOverlapAndArrivalOrder()
    {
        var turn = new ActorTurnLock(maxPending: 10_000);
        var inside = 0;
        var maxInside = 0;
        var order = new List<int>();
        // Hold the turn while everyone queues so the arrival order is known.
        Assert.Equal(TurnOutcome.Entered, await turn.EnterAsync(null, 32, default));
        var calls = new List<Task>();
        for (var i = 0; i < 200; i++)
        {
            var n = i;
            var entered = turn.EnterAsync(null, 32, default);
            calls.Add(Task.Run(async () =>
            {
                Assert.Equal(TurnOutcome.Entered, await entered);
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref maxInside, now);
                lock (order)
                {
                    order.Add(n);
                }
                await Task.Yield();
                Interlocked.Decrement(ref inside);
                turn.Exit();
            }));
        }
        Assert.Equal(200, turn.Pending);
        turn.Exit();
        await Task.WhenAll(calls).WaitAsync(Timeout);
        Assert.Equal(1, maxInside);
        Assert.Equal(Enumerable.Range(0, 200), order);
        Assert.False(turn.IsBusy);
    }

    [Fact]
    public async Task EnterAsync_Reentrant_SameIdEntersAtOnceOtherIdWaits()
    {
        var turn = new ActorTurnLock(100);
        Assert.Equal(TurnOutcome.Entered, await turn.EnterAsync("chain-1", 32, default));
        Assert.Equal(TurnOutcome.Entered, await turn.EnterAsync("chain-1", 32, default).AsTask().WaitAsync(Timeout));
        var other = turn.EnterAsync("chain-2", 32, default).AsTask();
        turn.Exit();
        Assert.False(other.IsCompleted);
        turn.Exit();
        Assert.Equal(TurnOutcome.Entered, await other.WaitAsync(Timeout));
        turn.Exit();
    }

    [Fact]
    public async Task EnterAsync_ReentrantTooDeep_Rejected()
    {
        var turn = new ActorTurnLock(100);
        await turn.EnterAsync("c", 2, default);
        await turn.EnterAsync("c", 2, default);
        var error = Assert.Throws<ActorTurnRejectedException>(() => turn.EnterAsync("c", 2, default));
        Assert.Contains("stack depth", error.Message);
    }

    [Fact]
    public async Task EnterAsync_QueueFull_Rejected()
    {
        var turn = new ActorTurnLock(maxPending: 2);
        await turn.EnterAsync(null, 32, default);
        _ = turn.EnterAsync(null, 32, default);
        _ = turn.EnterAsync(null, 32, default);
        Assert.Throws<ActorTurnRejectedException>(() => turn.EnterAsync(null, 32, default));
    }

    [Fact]
    public async Task EnterAsync_WaiterCancelled_LeavesQueueAndNextGetsTurn()
    {
        var turn = new ActorTurnLock(10);
        await turn.EnterAsync(null, 32, default);
        using var cts = new CancellationTokenSource();
        var cancelled = turn.EnterAsync(null, 32, cts.Token).AsTask();
        var next = turn.EnterAsync(null, 32, default).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout));
        Assert.Equal(1, turn.Pending);
        turn.Exit();
        Assert.Equal(TurnOutcome.Entered, await next.WaitAsync(Timeout));
    }

    [Fact]
    public async Task CloseAsync_WaitsForCallInProgressAndTurnsWaitersAway()
    {
        var turn = new ActorTurnLock(10);
        await turn.EnterAsync(null, 32, default);
        var waiter = turn.EnterAsync(null, 32, default).AsTask();
        var drained = turn.CloseAsync();
        Assert.Equal(TurnOutcome.Closed, await waiter.WaitAsync(Timeout));
        Assert.False(drained.IsCompleted);
        Assert.Equal(TurnOutcome.Closed, await turn.EnterAsync(null, 32, default));
        turn.Exit();
        await drained.WaitAsync(Timeout);
    }

    [Fact]
    public async Task TryCloseIfIdle_BusyOrIdle()
    {
        var turn = new ActorTurnLock(10);
        await turn.EnterAsync(null, 32, default);
        Assert.False(turn.TryCloseIfIdle());
        turn.Exit();
        Assert.True(turn.TryCloseIfIdle());
        Assert.Equal(TurnOutcome.Closed, await turn.EnterAsync(null, 32, default));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
