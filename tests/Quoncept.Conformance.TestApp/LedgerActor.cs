using System.Collections.Concurrent;
using System.Text;
using Dapr.Actors;
using Dapr.Actors.Runtime;

namespace Quoncept.Conformance.TestApp;

/// <summary>Keeps a total in actor state; reminders and timers append to state so a test can read what fired.</summary>
[Actor(TypeName = "LedgerActor")]
internal sealed class LedgerActor(ActorHost host) : Actor(host), ILedgerActor, IRemindable
{
    private static readonly ConcurrentDictionary<string, int> Running = new(StringComparer.Ordinal);

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

    public async Task CommitThenFailAsync(int amount)
    {
        await AddAsync(amount);
        await StateManager.SaveStateAsync();
        throw new InvalidOperationException("failed after saving");
    }

    public async Task<int> TransferAsync(string toLedgerId, int amount)
    {
        var other = ProxyFactory.CreateActorProxy<ILedgerActor>(new ActorId(toLedgerId), Host.ActorTypeInfo.ActorTypeName);
        await other.AddAsync(amount);
        return await AddAsync(-amount);
    }

    public Task ScheduleAsync(string name, string payload, int dueMilliseconds, int periodMilliseconds) =>
        RegisterReminderAsync(name, Encoding.UTF8.GetBytes(payload), TimeSpan.FromMilliseconds(dueMilliseconds),
            periodMilliseconds <= 0 ? TimeSpan.FromMilliseconds(-1) : TimeSpan.FromMilliseconds(periodMilliseconds));

    public Task ScheduleRepeatedAsync(string name, string payload, int periodSeconds, int repetitions) =>
        RegisterReminderAsync(name, Encoding.UTF8.GetBytes(payload), TimeSpan.Zero, TimeSpan.FromSeconds(periodSeconds), repetitions);

    public async Task<string?> DescribeReminderAsync(string name) =>
        await GetReminderAsync(name) is ActorReminder reminder
            ? $"{reminder.DueTime}|{reminder.Period}|{Encoding.UTF8.GetString(reminder.State)}"
            : null;

    public Task CancelReminderAsync(string name) => UnregisterReminderAsync(name);

    public async Task<string[]> FiredAsync() => [.. await StateManager.GetOrAddStateAsync<List<string>>("fired", [])];

    public Task StartTimerAsync(int periodMilliseconds, string payload) =>
        RegisterTimerAsync("tick", nameof(OnTickAsync), Encoding.UTF8.GetBytes(payload),
            TimeSpan.FromMilliseconds(periodMilliseconds), TimeSpan.FromMilliseconds(periodMilliseconds));

    public Task StopTimerAsync() => UnregisterTimerAsync("tick");

    public Task<int> TicksAsync() => StateManager.GetOrAddStateAsync("ticks", 0);

    public Task<string> TickPayloadAsync() => StateManager.GetOrAddStateAsync("tickPayload", "");

    public async Task<int> OverlapAsync(int holdMilliseconds)
    {
        var now = Running.AddOrUpdate(Id.GetId(), 1, (_, n) => n + 1);
        try
        {
            await Task.Delay(holdMilliseconds);
            return Math.Max(now, Running[Id.GetId()]);
        }
        finally
        {
            Running.AddOrUpdate(Id.GetId(), 0, (_, n) => n - 1);
        }
    }

    public async Task ReceiveReminderAsync(string reminderName, byte[] state, TimeSpan dueTime, TimeSpan period)
    {
        var fired = await StateManager.GetOrAddStateAsync<List<string>>("fired", []);
        fired.Add($"{reminderName}:{Encoding.UTF8.GetString(state)}");
        await StateManager.SetStateAsync("fired", fired);
    }

    private async Task OnTickAsync(byte[] state)
    {
        await StateManager.SetStateAsync("ticks", await StateManager.GetOrAddStateAsync("ticks", 0) + 1);
        await StateManager.SetStateAsync("tickPayload", Encoding.UTF8.GetString(state));
    }
}
