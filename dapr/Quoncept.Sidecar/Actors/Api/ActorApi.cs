namespace Quoncept.Sidecar.Actors.Api;

/// <summary>The actors building block of the Dapr HTTP API (https://docs.dapr.io/reference/api/actors_api/).</summary>
internal static class ActorApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var actor = endpoints.MapGroup("/v1.0/actors/{actorType}/{actorId}");
        actor.MapMethods("/method/{method}", ["GET", "POST", "PUT", "DELETE"], ActorInvokeEndpoint.HandleAsync);
        actor.MapMethods("/state", ["POST", "PUT"], ActorStateEndpoints.TransactAsync);
        actor.MapGet("/state/{key}", ActorStateEndpoints.GetAsync);
        actor.MapDelete("/state/{key}", ActorStateEndpoints.DeleteAsync);
        actor.MapMethods("/timers/{name}", ["POST", "PUT"], ActorScheduleEndpoints.CreateTimerAsync);
        actor.MapDelete("/timers/{name}", ActorScheduleEndpoints.DeleteTimer);
        actor.MapMethods("/reminders/{name}", ["POST", "PUT"], ActorScheduleEndpoints.CreateReminderAsync);
        actor.MapGet("/reminders/{name}", ActorScheduleEndpoints.GetReminderAsync);
        actor.MapDelete("/reminders/{name}", ActorScheduleEndpoints.DeleteReminderAsync);
    }
}
