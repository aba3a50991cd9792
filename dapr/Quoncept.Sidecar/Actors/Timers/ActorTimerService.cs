using System.Text.Json;
using Quoncept.Sidecar.Actors.Api;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Actors.Timers;

/// <summary>
/// Timers of active actors: created by the actor's own host, fired as turns on that activation
/// (<c>PUT /actors/{type}/{id}/method/timer/{name}</c>, body <c>{"callback","data","dueTime","period"}</c>),
/// gone when it deactivates. An app answer with <c>X-DaprReminderCancel: true</c> stops the timer.
/// </summary>
internal sealed class ActorTimerService(ActorActivations activations, ActorInvoker invoker, TimeProvider time, ILogger<ActorTimerService> logger)
{
    public const string CancelHeader = "X-DaprReminderCancel";

    public void Create(AppInstance caller, ActorKey key, string name, ScheduleRequest request)
    {
        var actor = activations.Find(key);
        if (actor is null || actor.IsClosing || !ReferenceEquals(actor.Host.Instance, caller))
        {
            throw ActorErrors.TimerCreate($"can't create timer for actor {key}: actor not activated on the calling app");
        }
        ActorSchedule schedule;
        try
        {
            schedule = ActorSchedule.Parse(request.DueTime, request.Period, request.Ttl, time.GetUtcNow());
        }
        catch (FormatException error)
        {
            throw ActorErrors.Malformed(error.Message, error);
        }
        var timer = new ActorTimer(name, schedule, CallbackBody(request));
        if (!actor.Timers.Start(timer, time, (t, token) => FireAsync(actor, t, token)))
        {
            throw ActorErrors.TimerCreate($"can't create timer for actor {key}: actor is deactivating");
        }
    }

    public void Delete(ActorKey key, string name) => activations.Find(key)?.Timers.Stop(name);

    private async Task<bool> FireAsync(ActiveActor actor, ActorTimer timer, CancellationToken cancellationToken)
    {
        var call = new ActorCall(actor.Key, "timer/" + Uri.EscapeDataString(timer.Name), timer.CallbackBody, "application/json");
        try
        {
            // The timer's token (cancelled when it is deleted or its activation ends) stops the fire only until the app has
            // it: a callback that deletes its own timer runs to its end, holding the turn, as with daprd. A deactivation
            // waits for it like for any call under way.
            using var response = await invoker.InvokeOnAsync(actor, call, CancellationToken.None, turnWait: cancellationToken);
            if (response is null)
            {
                return false;
            }
            await ActorInvoker.EnsureSuccessAsync(response, call.MethodPath, CancellationToken.None);
            return !IsTruthy(response, CancelHeader);
        }
        catch (Errors.DaprApiException error)
        {
            logger.LogWarning("timer {Timer} of actor {Actor} failed: {Error}", timer.Name, actor.Key, error.Message);
            return true;
        }
    }

    internal static bool IsTruthy(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values)
        && values.FirstOrDefault()?.Trim().ToLowerInvariant() is "true" or "1" or "yes" or "y" or "on";

    private static byte[] CallbackBody(ScheduleRequest request)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("callback", request.Callback ?? "");
            json.WritePropertyName("data");
            if (request.Data is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteRawValue(request.Data, skipInputValidation: true);
            }
            json.WriteString("dueTime", request.DueTime ?? "");
            json.WriteString("period", request.Period ?? "");
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
