using System.Text;
using Quoncept.Dapr.Actors;

namespace Quoncept.Dapr.TestApp;

/// <summary>Keeps a total in actor state; reminders and timers append to state so the test can read what fired.</summary>
public sealed class LedgerActor(ActorHost host) : Actor(host), ILedgerActor, IRemindable
{
    public async Task<int> AddAsync(int amount)
    {
        var total = await StateManager.GetOrAddStateAsync("total", 0) + amount;
        await StateManager.SetStateAsync("total", total);
        return total;
    }

    public Task<int> GetTotalAsync() => StateManager.GetOrAddStateAsync("total", 0);

    public Task<int> ProcessIdAsync() => Task.FromResult(Environment.ProcessId);

    public async Task FailAsync(string message)
    {
        await StateManager.SetStateAsync("total", -1);
        throw new InvalidOperationException(message);
    }

    public Task ScheduleAsync(ReminderSpec spec) =>
        RegisterReminderAsync(spec.Name, Encoding.UTF8.GetBytes(spec.Payload), spec.DueTime, spec.Period);

    public Task CancelReminderAsync(string name) => UnregisterReminderAsync(name);

    public Task<IReadOnlyList<string>> FiredAsync() =>
        StateManager.GetOrAddStateAsync<IReadOnlyList<string>>("fired", []);

    public Task StartTimerAsync(TimeSpan period) => RegisterTimerAsync("tick", nameof(OnTickAsync), [], period, period);

    public Task StopTimerAsync() => UnregisterTimerAsync("tick");

    public Task<int> TicksAsync() => StateManager.GetOrAddStateAsync("ticks", 0);

    public async Task ReceiveReminderAsync(string reminderName, byte[] state, TimeSpan dueTime, TimeSpan period)
    {
        var fired = (await StateManager.GetOrAddStateAsync<List<string>>("fired", [])).ToList();
        fired.Add($"{reminderName}:{Encoding.UTF8.GetString(state)}");
        await StateManager.SetStateAsync("fired", fired);
    }

    private async Task OnTickAsync(byte[] state) =>
        await StateManager.SetStateAsync("ticks", await StateManager.GetOrAddStateAsync("ticks", 0) + 1);
}
