using System.Text;
using Quoncept.Dapr.Actors;

namespace Quoncept.Dapr.Tests.Support;

public sealed class CounterActor(ActorHost host, DaprClient dapr, CallLog log) : Actor(host), ICounterActor, IRemindable
{
    private int _activations;

    protected override Task OnActivateAsync()
    {
        _activations++;
        log.Add($"activate {Id}");
        return Task.CompletedTask;
    }

    protected override async Task OnDeactivateAsync()
    {
        log.Add($"deactivate {Id}");
        await StateManager.SetStateAsync("deactivated", true); // never saved: deactivation does not save
    }

    public async Task<int> IncrementAsync(int by)
    {
        var value = await StateManager.GetOrAddStateAsync("count", 0);
        value += by;
        await StateManager.SetStateAsync("count", value);
        return value;
    }

    public Task<int> GetAsync() => StateManager.GetOrAddStateAsync("count", 0);

    public async Task SetThenFailAsync(int value)
    {
        await StateManager.SetStateAsync("count", value);
        await StateManager.SetStateAsync("other", "x");
        throw new InvalidOperationException($"refusing {value}");
    }

    public Task<string> EchoAsync(string text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(text);
    }

    public async Task<int> SlowAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        return 1;
    }

    public Task RemindMeAsync(ReminderRequest request) =>
        RegisterReminderAsync(request.Name, Encoding.UTF8.GetBytes(request.Payload), request.DueTime, request.Period);

    public Task StartTimerAsync(TimeSpan period) => RegisterTimerAsync("tick", nameof(OnTickAsync), Encoding.UTF8.GetBytes("t"), period, period);

    public async Task<int> IncrementAndPublishAsync(int by)
    {
        var value = await IncrementAsync(by);
        await StateManager.SaveStateAsync();
        await dapr.PublishEventAsync("pubsub", "counted", new Counted(Id.GetId(), value));
        return value;
    }

    public Task<int> AskOtherAsync(string otherId) =>
        ProxyFactory.CreateActorProxy<ICounterActor>(new ActorId(otherId), "CounterActor").IncrementAsync(10);

    public Task<int> CallSelfAsync() =>
        ProxyFactory.CreateActorProxy<ICounterActor>(Id, "CounterActor").IncrementAsync(1);

    public Task<int> BounceAsync(string via) =>
        ProxyFactory.CreateActorProxy<ICounterActor>(new ActorId(via), "CounterActor").AskOtherAsync(Id.GetId());

    public Task<string?> TraceIdAsync() => Task.FromResult(System.Diagnostics.Activity.Current?.TraceId.ToString());

    public async Task<CounterSnapshot> SnapshotAsync() =>
        new(Id.GetId(), await GetAsync(), _activations, await StateManager.GetOrAddStateAsync<List<string>>("reminders", []));

    public async Task ReceiveReminderAsync(string reminderName, byte[] state, TimeSpan dueTime, TimeSpan period)
    {
        var seen = await StateManager.GetOrAddStateAsync<List<string>>("reminders", []);
        seen.Add($"{reminderName}:{Encoding.UTF8.GetString(state)}");
        await StateManager.SetStateAsync("reminders", seen);
        log.Add($"remind {Id} {reminderName}");
    }

    private async Task OnTickAsync(byte[] state)
    {
        await IncrementAsync(1);
        log.Add($"tick {Id} {Encoding.UTF8.GetString(state)}");
    }
}

public sealed record Counted(string Id, int Value);
