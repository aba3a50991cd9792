using Microsoft.Extensions.Logging;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Actors.Runtime;

namespace Quoncept.Dapr.Actors;

/// <summary>
/// Base class of actors, as in <c>Dapr.Actors.Runtime.Actor</c>. The runtime runs one method at a time per actor;
/// after a method returns, <see cref="StateManager"/>'s changes are saved in one transaction, and when it throws
/// they are thrown away. Decide, record, save, then publish: never publish before the save.
/// </summary>
public abstract class Actor
{
    protected Actor(ActorHost host)
    {
        Host = host ?? throw new ArgumentNullException(nameof(host));
        Logger = host.LoggerFactory.CreateLogger(GetType());
        StateManager = new ActorStateManager(host);
    }

    public ActorHost Host { get; }

    public ActorId Id => Host.Id;

    public IActorStateManager StateManager { get; protected set; }

    public IActorProxyFactory ProxyFactory => Host.ProxyFactory;

    protected ILogger Logger { get; }

    protected virtual Task OnActivateAsync() => Task.CompletedTask;

    protected virtual Task OnDeactivateAsync() => Task.CompletedTask;

    protected virtual Task OnPreActorMethodAsync(ActorMethodContext actorMethodContext) => Task.CompletedTask;

    protected virtual Task OnPostActorMethodAsync(ActorMethodContext actorMethodContext) => Task.CompletedTask;

    protected virtual Task OnActorMethodFailedAsync(ActorMethodContext actorMethodContext, Exception e) => Task.CompletedTask;

    internal Task ActivateCoreAsync() => OnActivateAsync();

    internal Task DeactivateCoreAsync() => OnDeactivateAsync();

    internal Task PreMethodCoreAsync(ActorMethodContext context) => OnPreActorMethodAsync(context);

    internal Task PostMethodCoreAsync(ActorMethodContext context) => OnPostActorMethodAsync(context);

    internal Task MethodFailedCoreAsync(ActorMethodContext context, Exception e) => OnActorMethodFailedAsync(context, e);

    /// <summary>
    /// Registers a reminder (durable, survives deactivation); the actor must implement <see cref="IRemindable"/>.
    /// A <paramref name="period"/> of <see cref="Timeout.InfiniteTimeSpan"/> (or zero) fires once.
    /// </summary>
    protected Task<IActorReminder> RegisterReminderAsync(string reminderName, byte[]? state, TimeSpan dueTime, TimeSpan period) =>
        RegisterReminderCoreAsync(reminderName, state, dueTime, period, ttl: null);

    protected Task<IActorReminder> RegisterReminderAsync(string reminderName, byte[]? state, TimeSpan dueTime, TimeSpan period, TimeSpan ttl) =>
        RegisterReminderCoreAsync(reminderName, state, dueTime, period, ttl);

    protected Task<IActorReminder?> GetReminderAsync(string reminderName) =>
        Host.TimerManager.GetReminderAsync(Host.ActorTypeName, Id, reminderName, CancellationToken.None);

    protected Task UnregisterReminderAsync(IActorReminder reminder) => UnregisterReminderAsync(reminder.Name);

    protected Task UnregisterReminderAsync(string reminderName)
    {
        ArgumentException.ThrowIfNullOrEmpty(reminderName);
        return Host.TimerManager.UnregisterReminderAsync(Host.ActorTypeName, Id, reminderName, CancellationToken.None);
    }

    /// <summary>
    /// Registers a timer (not durable, dropped on deactivation). <paramref name="callback"/> names a method of this
    /// actor shaped <c>Task M(byte[] state)</c>; a null <paramref name="timerName"/> gets a generated one.
    /// </summary>
    protected Task<ActorTimer> RegisterTimerAsync(string? timerName, string callback, byte[]? callbackParams, TimeSpan dueTime, TimeSpan period) =>
        RegisterTimerCoreAsync(timerName, callback, callbackParams, dueTime, period, ttl: null);

    protected Task<ActorTimer> RegisterTimerAsync(string? timerName, string callback, byte[]? callbackParams, TimeSpan dueTime, TimeSpan period, TimeSpan ttl) =>
        RegisterTimerCoreAsync(timerName, callback, callbackParams, dueTime, period, ttl);

    protected Task UnregisterTimerAsync(ActorTimer timer) => UnregisterTimerAsync(timer.Name);

    protected Task UnregisterTimerAsync(string timerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(timerName);
        return Host.TimerManager.UnregisterTimerAsync(Host.ActorTypeName, Id, timerName, CancellationToken.None);
    }

    private async Task<IActorReminder> RegisterReminderCoreAsync(string reminderName, byte[]? state, TimeSpan dueTime, TimeSpan period, TimeSpan? ttl)
    {
        ArgumentException.ThrowIfNullOrEmpty(reminderName);
        if (this is not IRemindable)
        {
            throw new InvalidOperationException($"{GetType().Name} registers reminder '{reminderName}' but does not implement IRemindable.");
        }

        DaprDuration.ValidateSchedule(dueTime, period, nameof(dueTime));
        var reminder = new ActorReminder(Host.ActorTypeName, Id, reminderName, state ?? [], dueTime, period, ttl);
        await Host.TimerManager.RegisterReminderAsync(reminder, CancellationToken.None).ConfigureAwait(false);
        return reminder;
    }

    private async Task<ActorTimer> RegisterTimerCoreAsync(string? timerName, string callback, byte[]? callbackParams, TimeSpan dueTime, TimeSpan period, TimeSpan? ttl)
    {
        ArgumentException.ThrowIfNullOrEmpty(callback);
        if (!ActorTypeInformation.Get(GetType()).TimerCallbacks.ContainsKey(callback))
        {
            throw new ArgumentException($"{GetType().Name} has no timer callback method '{callback}' shaped Task {callback}(byte[] state).", nameof(callback));
        }

        DaprDuration.ValidateSchedule(dueTime, period, nameof(dueTime));
        var timer = new ActorTimer(Host.ActorTypeName, Id, timerName ?? $"{callback}-{Guid.NewGuid():N}", callback, callbackParams ?? [], dueTime, period, ttl);
        await Host.TimerManager.RegisterTimerAsync(timer, CancellationToken.None).ConfigureAwait(false);
        return timer;
    }
}
