namespace Quoncept.Sidecar.Actors.Timers;

/// <summary>
/// One actor timer (https://docs.dapr.io/developing-applications/building-blocks/actors/actors-timers-reminders/):
/// not persisted, lives as long as the activation. Each fire is a turn on the actor:
/// <c>PUT /actors/{type}/{id}/method/timer/{name}</c> with <see cref="CallbackBody"/>.
/// </summary>
internal sealed class ActorTimer(string name, ActorSchedule schedule, byte[] callbackBody)
{
    private readonly CancellationTokenSource _stop = new();

    public string Name { get; } = name;

    public ActorSchedule Schedule { get; } = schedule;

    /// <summary><c>{"callback","data","dueTime","period"}</c> as the app receives it.</summary>
    public byte[] CallbackBody { get; } = callbackBody;

    public void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Fires on schedule until the last repetition, the ttl, <see cref="Stop"/>, or <paramref name="fire"/> returning false.</summary>
    public async Task RunAsync(TimeProvider time, Func<ActorTimer, CancellationToken, Task<bool>> fire)
    {
        var token = _stop.Token;
        var at = Schedule.DueAt;
        var remaining = Schedule.Period.Repetitions;
        try
        {
            while (true)
            {
                var wait = at - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, token);
                }
                token.ThrowIfCancellationRequested();
                if (Schedule.ExpiresAt is { } expires && time.GetUtcNow() > expires)
                {
                    return;
                }
                if (!await fire(this, token))
                {
                    return;
                }
                remaining = remaining > 0 ? remaining - 1 : remaining;
                if (Schedule.Next(at, remaining, time.GetUtcNow()) is not { } next)
                {
                    return;
                }
                at = next;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            _stop.Dispose();
        }
    }
}
