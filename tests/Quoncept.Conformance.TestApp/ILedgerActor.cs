using Quoncept.Dapr.Actors;

namespace Quoncept.Dapr.TestApp;

public interface ILedgerActor : IActor
{
    Task<int> AddAsync(int amount);

    Task<int> GetTotalAsync();

    Task<int> ProcessIdAsync();

    Task FailAsync(string message);

    Task ScheduleAsync(ReminderSpec spec);

    Task CancelReminderAsync(string name);

    Task<IReadOnlyList<string>> FiredAsync();

    Task StartTimerAsync(TimeSpan period);

    Task StopTimerAsync();

    Task<int> TicksAsync();
}

public sealed record ReminderSpec(string Name, string Payload, TimeSpan DueTime, TimeSpan Period);

public sealed record LedgerEvent(string Id, int Amount, int FailTimes = 0, string Mode = "ok");
