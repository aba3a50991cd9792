using System.Text.Json;
using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Actors.Reminders;
using Quoncept.Sidecar.Actors.Timers;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Components;

namespace Quoncept.Sidecar.Actors.Api;

/// <summary>
/// Timers and reminders (https://docs.dapr.io/reference/api/actors_api/#create-actor-reminder):
/// <c>POST|PUT|DELETE /v1.0/actors/{type}/{id}/timers/{name}</c> and
/// <c>POST|PUT|GET|DELETE /v1.0/actors/{type}/{id}/reminders/{name}</c>. A timer needs the actor active
/// on the calling app (500 <c>ERR_ACTOR_TIMER_CREATE</c>); reminders need the calling app to host the
/// type (403 <c>ERR_ACTOR_REMINDER_NON_HOSTED</c>); bad JSON or durations are 400 <c>ERR_MALFORMED_REQUEST</c>.
/// </summary>
internal static class ActorScheduleEndpoints
{
    public static async Task CreateTimerAsync(HttpContext context, string actorType, string actorId, string name,
        AppRegistry apps, ActorTimerService timers)
    {
        var body = await Sidecar.Api.RequestBody.ReadBytesAsync(context);
        var request = ScheduleRequest.Parse(body);
        timers.Create(apps.CallerOf(context), new ActorKey(actorType, actorId), name, request);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static void DeleteTimer(HttpContext context, string actorType, string actorId, string name, ActorTimerService timers)
    {
        timers.Delete(new ActorKey(actorType, actorId), name);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static async Task CreateReminderAsync(HttpContext context, string actorType, string actorId, string name,
        AppRegistry apps, ActorHosts hosts, ComponentRegistry components, ReminderService reminders)
    {
        var body = await Sidecar.Api.RequestBody.ReadBytesAsync(context);
        var caller = CallerHostingType(context, actorType, apps, hosts);
        var request = ScheduleRequest.Parse(body);
        var store = components.GetActorStateStore(caller.AppId);
        await Run(ActorErrors.ReminderCreate, () => reminders.CreateAsync(store, new ActorKey(actorType, actorId), name, request, context.RequestAborted));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static async Task GetReminderAsync(HttpContext context, string actorType, string actorId, string name,
        AppRegistry apps, ActorHosts hosts, ComponentRegistry components, ReminderService reminders)
    {
        var caller = CallerHostingType(context, actorType, apps, hosts);
        var store = components.GetActorStateStore(caller.AppId);
        var key = new ActorKey(actorType, actorId);
        ActorReminder? reminder = null;
        await Run(ActorErrors.ReminderGet, async () => reminder = await reminders.GetAsync(store, key, name, context.RequestAborted));
        if (reminder is null)
        {
            throw ActorErrors.ReminderNotFound(key, name);
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        reminder.WriteApiView(json);
        await json.FlushAsync(context.RequestAborted);
    }

    public static async Task DeleteReminderAsync(HttpContext context, string actorType, string actorId, string name,
        AppRegistry apps, ActorHosts hosts, ComponentRegistry components, ReminderService reminders)
    {
        var caller = CallerHostingType(context, actorType, apps, hosts);
        var store = components.GetActorStateStore(caller.AppId);
        await Run(ActorErrors.ReminderDelete, () => reminders.DeleteAsync(store, new ActorKey(actorType, actorId), name, context.RequestAborted));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static AppInstance CallerHostingType(HttpContext context, string actorType, AppRegistry apps, ActorHosts hosts)
    {
        var caller = apps.CallerOf(context);
        if (hosts.HostOf(caller)?.Config.Hosts(actorType) != true)
        {
            throw ActorErrors.ReminderNonHosted(actorType);
        }
        return caller;
    }

    private static async Task Run(Func<string, Exception?, Errors.DaprApiException> wrap, Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (Exception error) when (error is not Errors.DaprApiException and not OperationCanceledException)
        {
            throw wrap(error.Message, error);
        }
    }
}
