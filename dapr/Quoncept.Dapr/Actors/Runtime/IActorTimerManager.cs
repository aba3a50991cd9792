namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>Who schedules timers and reminders: the sidecar, or the test host's clock.</summary>
internal interface IActorTimerManager
{
    Task RegisterReminderAsync(ActorReminder reminder, CancellationToken cancellationToken);

    Task<IActorReminder?> GetReminderAsync(string actorType, ActorId actorId, string name, CancellationToken cancellationToken);

    Task UnregisterReminderAsync(string actorType, ActorId actorId, string name, CancellationToken cancellationToken);

    Task RegisterTimerAsync(ActorTimer timer, CancellationToken cancellationToken);

    Task UnregisterTimerAsync(string actorType, ActorId actorId, string name, CancellationToken cancellationToken);
}
