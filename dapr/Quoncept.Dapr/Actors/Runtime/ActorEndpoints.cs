using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>The handlers behind <c>MapActorsHandlers</c>; every error answer is written by <see cref="Fail"/>.</summary>
internal static class ActorEndpoints
{
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    // GET /dapr/config -> {"entities":[..],"actorIdleTimeout":"1h0m0s0ms",...,"reentrancy":{"enabled":false}}
    public static IResult GetConfig(ActorRuntime runtime) => Results.Json(runtime.Config(), DaprWireContext.Default.ActorConfigWire);

    // PUT /actors/{actorType}/{actorId}/method/{methodName}, body = the argument's JSON -> 200 with the result's JSON
    public static async Task<IResult> InvokeMethodAsync(HttpContext http, ActorRuntime runtime, string actorType, string actorId, string methodName)
    {
        try
        {
            var body = await ReadBodyAsync(http).ConfigureAwait(false);
            var result = await runtime.InvokeMethodAsync(actorType, actorId, methodName, body, http.RequestAborted).ConfigureAwait(false);
            return Results.Bytes(result, "application/json");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            return Fail(ex, actorType, actorId, methodName);
        }
    }

    // PUT /actors/{actorType}/{actorId}/method/remind/{reminderName} {"data":..,"dueTime":"..","period":".."} -> 200
    public static async Task<IResult> FireReminderAsync(HttpContext http, ActorRuntime runtime, string actorType, string actorId, string reminderName)
    {
        try
        {
            var wire = await ReadJsonAsync(http, DaprWireContext.Default.ReminderWire).ConfigureAwait(false) ?? new ReminderWire();
            var dueTime = ParseDuration(wire.DueTime, "dueTime");
            var period = ParseDuration(wire.Period, "period");
            await runtime.FireReminderAsync(actorType, actorId, reminderName, ActorCallbackData.Decode(wire.Data), dueTime,
                period == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : period, http.RequestAborted).ConfigureAwait(false);
            return Results.Ok();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            return Fail(ex, actorType, actorId, "remind/" + reminderName);
        }
    }

    // PUT /actors/{actorType}/{actorId}/method/timer/{timerName} {"callback":"M","data":..,"dueTime":"..","period":".."} -> 200
    public static async Task<IResult> FireTimerAsync(HttpContext http, ActorRuntime runtime, string actorType, string actorId, string timerName)
    {
        try
        {
            var wire = await ReadJsonAsync(http, DaprWireContext.Default.TimerWire).ConfigureAwait(false);
            if (string.IsNullOrEmpty(wire?.Callback))
            {
                throw new ActorDispatchException(HttpStatusCode.BadRequest, "ERR_ACTOR_TIMER_CALLBACK_MISSING", $"Timer '{timerName}' arrived without a \"callback\".");
            }

            await runtime.FireTimerAsync(actorType, actorId, timerName, wire.Callback, ActorCallbackData.Decode(wire.Data), http.RequestAborted).ConfigureAwait(false);
            return Results.Ok();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            return Fail(ex, actorType, actorId, "timer/" + timerName);
        }
    }

    // DELETE /actors/{actorType}/{actorId} -> 200 once OnDeactivateAsync has run
    public static async Task<IResult> DeactivateAsync(ActorRuntime runtime, string actorType, string actorId)
    {
        try
        {
            await runtime.DeactivateAsync(actorType, actorId).ConfigureAwait(false);
            return Results.Ok();
        }
        catch (ActorDispatchException ex)
        {
            return Fail(ex, actorType, actorId, "deactivate");
        }
    }

    private static IResult Fail(Exception ex, string actorType, string actorId, string method) =>
        Results.Json(ActorInvocation.ErrorBody(ex, actorType, actorId, method), DaprWireContext.Default.ActorErrorWire, statusCode: (int)ActorInvocation.StatusFor(ex));

    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            throw new ActorDispatchException(HttpStatusCode.RequestEntityTooLarge, "ERR_ACTOR_BODY_TOO_LARGE", $"Actor request bodies are limited to {MaxBodyBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxBodyBytes)
        {
            throw new ActorDispatchException(HttpStatusCode.RequestEntityTooLarge, "ERR_ACTOR_BODY_TOO_LARGE", $"Actor request bodies are limited to {MaxBodyBytes} bytes.");
        }

        return buffer.ToArray();
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpContext http, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var body = await ReadBodyAsync(http).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException ex)
        {
            throw new ActorDispatchException(HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", $"The callback body is not the documented JSON: {ex.Message}");
        }
    }

    private static TimeSpan ParseDuration(string? text, string field) =>
        DaprDuration.TryParse(text, out var value)
            ? value
            : throw new ActorDispatchException(HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", $"\"{field}\":\"{text}\" is not a Go or ISO 8601 duration.");
}
