using Quoncept.Sidecar.Errors;

namespace Quoncept.Sidecar.Actors;

/// <summary>
/// The actor API's errors with daprd's codes, statuses and message shapes
/// (https://docs.dapr.io/reference/api/error_codes/#actors-api, dapr/dapr pkg/messages).
/// </summary>
internal static class ActorErrors
{
    public static DaprApiException InstanceMissing(ActorKey key) =>
        new(400, "ERR_ACTOR_INSTANCE_MISSING", $"actor instance is missing: actor {key.Type}/{key.Id} is not hosted by the app that called this sidecar");

    public static DaprApiException Invoke(string reason, Exception? inner = null) =>
        new(500, "ERR_ACTOR_INVOKE_METHOD", $"error invoke actor method: {reason}", inner);

    public static DaprApiException NoHost(ActorKey key) =>
        Invoke($"did not find address for actor {key.Type}/{key.Id}: no running app hosts actor type '{key.Type}' (it must be listed in the entities of an app's GET /dapr/config)");

    public static DaprApiException StateGet(string reason, Exception? inner = null) =>
        new(500, "ERR_ACTOR_STATE_GET", $"error getting actor state: {reason}", inner);

    public static DaprApiException StateTransaction(string reason, Exception? inner = null) =>
        new(500, "ERR_ACTOR_STATE_TRANSACTION_SAVE", $"error saving actor transaction state: {reason}", inner);

    public static DaprApiException ReminderNonHosted(string actorType) =>
        new(403, "ERR_ACTOR_REMINDER_NON_HOSTED", $"operations on actor reminders are only possible on hosted actor types: the calling app does not host '{actorType}'");

    public static DaprApiException ReminderCreate(string reason, Exception? inner = null) =>
        new(500, "ERR_ACTOR_REMINDER_CREATE", $"error creating actor reminder: {reason}", inner);

    public static DaprApiException ReminderGet(string reason, Exception? inner = null) =>
        new(500, "ERR_ACTOR_REMINDER_GET", $"error getting actor reminder: {reason}", inner);

    public static DaprApiException ReminderNotFound(ActorKey key, string name) =>
        new(404, "ERR_ACTOR_REMINDER_NOT_FOUND", $"reminder {name} not found for actor {key.Type}/{key.Id}");

    public static DaprApiException ReminderDelete(string reason, Exception? inner = null) =>
        new(500, "ERR_ACTOR_REMINDER_DELETE", $"error deleting actor reminder: {reason}", inner);

    public static DaprApiException TimerCreate(string reason) =>
        new(500, "ERR_ACTOR_TIMER_CREATE", $"error creating actor timer: {reason}");

    /// <summary>A body that is not what the endpoint reads, or a bad dueTime/period/ttl: 400.</summary>
    public static DaprApiException Malformed(string reason, Exception? inner = null) =>
        DaprErrors.Malformed($"failed deserializing HTTP body: {reason}", inner);
}
