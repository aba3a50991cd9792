namespace Quoncept.Sidecar.Actors.Turns;

/// <summary>
/// Turn-based concurrency for one actor activation (https://docs.dapr.io/developing-applications/building-blocks/actors/actors-features-concepts/#turn-based-access):
/// one call at a time, the others wait in arrival order (FIFO), at most <c>maxPending</c> of them.
/// With reentrancy on, a call carrying the reentrancy id of the call holding the turn enters at once
/// (up to <c>maxStackDepth</c> nested calls), as daprd does with <c>Dapr-Reentrancy-Id</c>.
/// Closing (deactivation) turns every waiter and newcomer away with <see cref="TurnOutcome.Closed"/>
/// and lets the deactivator wait for the call in progress to finish.
/// </summary>
internal sealed class ActorTurnLock(int maxPending)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _queue = new();
    private bool _held;
    private string? _owner;
    private int _depth;
    private bool _closed;
    private TaskCompletionSource? _drained;

    /// <summary>True while a call holds the turn or waits for it.</summary>
    public bool IsBusy
    {
        get
        {
            lock (_gate)
            {
                return _held || _queue.Count > 0;
            }
        }
    }

    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public ValueTask<TurnOutcome> EnterAsync(string? reentrancyId, int maxStackDepth, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (_closed)
            {
                return ValueTask.FromResult(TurnOutcome.Closed);
            }
            if (!_held)
            {
                _held = true;
                _owner = reentrancyId;
                _depth = 1;
                return ValueTask.FromResult(TurnOutcome.Entered);
            }
            if (reentrancyId is not null && string.Equals(reentrancyId, _owner, StringComparison.Ordinal))
            {
                if (_depth >= maxStackDepth)
                {
                    throw new ActorTurnRejectedException($"maximum stack depth of {maxStackDepth} exceeded for reentrant calls");
                }
                _depth++;
                return ValueTask.FromResult(TurnOutcome.Entered);
            }
            if (_queue.Count >= maxPending)
            {
                throw new ActorTurnRejectedException($"too many calls are waiting for this actor (limit {maxPending})");
            }
            cancellationToken.ThrowIfCancellationRequested();
            waiter = new Waiter(reentrancyId);
            waiter.Node = _queue.AddLast(waiter);
        }
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var (turnLock, w) = ((ActorTurnLock, Waiter))state!;
                turnLock.Abandon(w, token);
            }, (this, waiter));
        }
        return new ValueTask<TurnOutcome>(waiter.Completion.Task);
    }

    /// <summary>Ends the current call's turn and hands it to the next waiter in arrival order.</summary>
    public void Exit()
    {
        Waiter? next = null;
        TaskCompletionSource? drained = null;
        lock (_gate)
        {
            if (!_held)
            {
                throw new InvalidOperationException("the actor turn is not held");
            }
            if (--_depth > 0)
            {
                return;
            }
            if (!_closed && _queue.First is { } first)
            {
                next = first.Value;
                _queue.RemoveFirst();
                next.Node = null;
                _owner = next.ReentrancyId;
                _depth = 1;
            }
            else
            {
                _held = false;
                _owner = null;
                drained = _drained;
            }
        }
        if (next is not null)
        {
            next.Registration.Dispose();
            next.Completion.TrySetResult(TurnOutcome.Entered);
        }
        drained?.TrySetResult();
    }

    /// <summary>Closes the lock unless a call holds or awaits the turn (idle deactivation).</summary>
    public bool TryCloseIfIdle()
    {
        lock (_gate)
        {
            if (_closed || _held || _queue.Count > 0)
            {
                return false;
            }
            _closed = true;
            return true;
        }
    }

    /// <summary>
    /// Closes the lock: waiters and newcomers get <see cref="TurnOutcome.Closed"/>. The returned task
    /// completes when the call in progress (if any) has finished.
    /// </summary>
    public Task CloseAsync()
    {
        List<Waiter> turnedAway;
        Task drained;
        lock (_gate)
        {
            _closed = true;
            turnedAway = [.. _queue];
            _queue.Clear();
            foreach (var waiter in turnedAway)
            {
                waiter.Node = null;
            }
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_held)
            {
                _drained.TrySetResult();
            }
            drained = _drained.Task;
        }
        foreach (var waiter in turnedAway)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetResult(TurnOutcome.Closed);
        }
        return drained;
    }

    private void Abandon(Waiter waiter, CancellationToken token)
    {
        lock (_gate)
        {
            if (waiter.Node is null)
            {
                return; // already granted or turned away
            }
            _queue.Remove(waiter.Node);
            waiter.Node = null;
        }
        waiter.Completion.TrySetCanceled(token);
    }

    private sealed class Waiter(string? reentrancyId)
    {
        public string? ReentrancyId { get; } = reentrancyId;

        public TaskCompletionSource<TurnOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
