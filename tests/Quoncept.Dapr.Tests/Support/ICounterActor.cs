using Quoncept.Dapr.Actors;

namespace Quoncept.Dapr.Tests.Support;

public interface ICounterActor : IActor
{
    Task<int> IncrementAsync(int by);

    Task<int> GetAsync();

    Task SetThenFailAsync(int value);

    Task<string> EchoAsync(string text, CancellationToken cancellationToken);

    Task<int> SlowAsync(TimeSpan delay, CancellationToken cancellationToken);

    Task RemindMeAsync(ReminderRequest request);

    Task StartTimerAsync(TimeSpan period);

    Task<int> IncrementAndPublishAsync(int by);

    Task<int> AskOtherAsync(string otherId);

    Task<CounterSnapshot> SnapshotAsync();

    Task<int> CallSelfAsync();

    /// <summary>Asks <paramref name="via"/> to call back into this actor.</summary>
    Task<int> BounceAsync(string via);

    Task<string?> TraceIdAsync();
}

public sealed record ReminderRequest(string Name, string Payload, TimeSpan DueTime, TimeSpan Period);

public sealed record CounterSnapshot(string Id, int Value, int Activations, IReadOnlyList<string> Reminders);
