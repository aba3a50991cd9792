using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Actors.Timers;
using Quoncept.Sidecar.Actors.Turns;

namespace Quoncept.Sidecar.Actors;

/// <summary>
/// One activation: the actor lives on <see cref="Host"/> from its first call until it is deactivated
/// (idle, rebalanced, or its host left). Calls take turns through <see cref="Turn"/>; timers live and
/// die with the activation.
/// </summary>
internal sealed class ActiveActor
{
    /// <summary>Calls that may wait behind the one in progress, per actor.</summary>
    public const int MaxPendingCalls = 10_000;

    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastUsedTimestamp;
    private int _closing;

    public ActiveActor(ActorKey key, ActorHost host, long now)
    {
        Key = key;
        Host = host;
        Options = host.Config.For(key.Type);
        _lastUsedTimestamp = now;
    }

    public ActorKey Key { get; }

    public ActorHost Host { get; }

    public ActorTypeOptions Options { get; }

    public ActorTurnLock Turn { get; } = new(MaxPendingCalls);

    public ActorTimerSet Timers { get; } = new();

    /// <summary>Completes once the app was told to deactivate and the activation left the table.</summary>
    public Task Deactivated => _deactivated.Task;

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    public long LastUsedTimestamp => Volatile.Read(ref _lastUsedTimestamp);

    public void Touch(long now) => Volatile.Write(ref _lastUsedTimestamp, now);

    /// <summary>True for the one caller that gets to deactivate this activation.</summary>
    public bool TryBeginClose() => Interlocked.Exchange(ref _closing, 1) == 0;

    public void MarkDeactivated() => _deactivated.TrySetResult();
}
