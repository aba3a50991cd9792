using Dapr.Actors;

namespace Quoncept.Conformance.TestApp;

/// <summary>
/// Called through the SDK's remoting proxy with its default (DataContract) serializer, and through
/// the untyped JSON proxy (<c>ActorProxy.Create(...).InvokeMethodAsync</c>) by method name.
/// </summary>
public interface ILedgerActor : IActor
{
    Task<int> AddAsync(int amount);

    Task<int> GetTotalAsync();

    Task<int> ProcessIdAsync();

    /// <summary>Changes state, then throws: the caller sees the message, the change is not saved.</summary>
    Task FailAsync(string message);

    /// <summary>Adds, saves the state explicitly (<c>StateManager.SaveStateAsync</c>), then throws: the saved part stays.</summary>
    Task CommitThenFailAsync(int amount);

    /// <summary>Moves an amount to another ledger through an actor proxy made inside this actor: actor to actor through the sidecar.</summary>
    Task<int> TransferAsync(string toLedgerId, int amount);

    Task ScheduleAsync(string name, string payload, int dueMilliseconds, int periodMilliseconds);

    /// <summary>A reminder that fires <paramref name="repetitions"/> times, one period apart (Dapr's <c>R{n}/PT{s}S</c>).</summary>
    Task ScheduleRepeatedAsync(string name, string payload, int periodSeconds, int repetitions);

    /// <summary>The reminder as <c>GetReminderAsync</c> reads it back from the sidecar: "dueTime|period|data", or null.</summary>
    Task<string?> DescribeReminderAsync(string name);

    Task CancelReminderAsync(string name);

    Task<string[]> FiredAsync();

    /// <summary>A timer whose callback gets <paramref name="payload"/> as its state, each tick counted.</summary>
    Task StartTimerAsync(int periodMilliseconds, string payload);

    Task StopTimerAsync();

    Task<int> TicksAsync();

    /// <summary>The state the timer callback got on its last tick.</summary>
    Task<string> TickPayloadAsync();

    /// <summary>Holds the turn for a while and reports how many turns of this actor ran at once (reentrancy off: always 1).</summary>
    Task<int> OverlapAsync(int holdMilliseconds);
}
