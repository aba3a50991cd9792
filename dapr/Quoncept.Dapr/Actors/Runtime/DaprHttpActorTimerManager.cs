using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>Timers and reminders through the sidecar (https://docs.dapr.io/reference/api/actors_api/#create-actor-reminder).</summary>
internal sealed class DaprHttpActorTimerManager(DaprSidecar sidecar) : IActorTimerManager
{
    // PUT /v1.0/actors/{type}/{id}/reminders/{name} {"dueTime":"0h0m5s0ms","period":"0h1m0s0ms","data":"<base64>","ttl":..} -> 204
    public async Task RegisterReminderAsync(ActorReminder reminder, CancellationToken cancellationToken)
    {
        var body = new ReminderWire
        {
            DueTime = DaprDuration.Format(reminder.DueTime),
            Period = DaprDuration.FormatPeriod(reminder.Period),
            Data = ActorCallbackData.Encode(reminder.State),
            Ttl = reminder.Ttl is { } ttl ? DaprDuration.Format(ttl) : null,
        };
        using var request = sidecar.CreateRequest(HttpMethod.Put, Path(reminder.ActorType, reminder.ActorId, "reminders", reminder.Name));
        request.Content = DaprSidecar.JsonContent(JsonSerializer.SerializeToUtf8Bytes(body, DaprWireContext.Default.ReminderWire));
        using var response = await sidecar.SendCheckedAsync(request, $"Register reminder '{reminder.Name}' of actor {reminder.ActorType}/{reminder.ActorId}", cancellationToken).ConfigureAwait(false);
    }

    // GET /v1.0/actors/{type}/{id}/reminders/{name} -> 200 {"dueTime","period","data"} | 404/204 when absent
    public async Task<IActorReminder?> GetReminderAsync(string actorType, ActorId actorId, string name, CancellationToken cancellationToken)
    {
        using var request = sidecar.CreateRequest(HttpMethod.Get, Path(actorType, actorId, "reminders", name));
        using var response = await sidecar.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound || DaprSidecar.IsNoContent(response))
        {
            return null;
        }

        await DaprSidecar.ThrowIfFailedAsync(response, $"Get reminder '{name}' of actor {actorType}/{actorId}", cancellationToken).ConfigureAwait(false);
        var wire = await response.Content.ReadFromJsonAsync(DaprWireContext.Default.ReminderWire, cancellationToken).ConfigureAwait(false);
        if (wire is null)
        {
            return null;
        }

        DaprDuration.TryParse(wire.DueTime, out var due);
        var period = DaprDuration.TryParse(wire.Period, out var p) && p > TimeSpan.Zero ? p : Timeout.InfiniteTimeSpan;
        return new ActorReminder(actorType, actorId, name, ActorCallbackData.Decode(wire.Data), due, period, null);
    }

    // DELETE /v1.0/actors/{type}/{id}/reminders/{name} -> 204
    public Task UnregisterReminderAsync(string actorType, ActorId actorId, string name, CancellationToken cancellationToken) =>
        DeleteAsync(Path(actorType, actorId, "reminders", name), $"Unregister reminder '{name}' of actor {actorType}/{actorId}", cancellationToken);

    // PUT /v1.0/actors/{type}/{id}/timers/{name} {"dueTime","period","callback","data","ttl"} -> 204
    public async Task RegisterTimerAsync(ActorTimer timer, CancellationToken cancellationToken)
    {
        var body = new TimerWire
        {
            DueTime = DaprDuration.Format(timer.DueTime),
            Period = DaprDuration.FormatPeriod(timer.Period),
            Callback = timer.Callback,
            Data = ActorCallbackData.Encode(timer.Data),
            Ttl = timer.Ttl is { } ttl ? DaprDuration.Format(ttl) : null,
        };
        using var request = sidecar.CreateRequest(HttpMethod.Put, Path(timer.ActorType, timer.ActorId, "timers", timer.Name));
        request.Content = DaprSidecar.JsonContent(JsonSerializer.SerializeToUtf8Bytes(body, DaprWireContext.Default.TimerWire));
        using var response = await sidecar.SendCheckedAsync(request, $"Register timer '{timer.Name}' of actor {timer.ActorType}/{timer.ActorId}", cancellationToken).ConfigureAwait(false);
    }

    // DELETE /v1.0/actors/{type}/{id}/timers/{name} -> 204
    public Task UnregisterTimerAsync(string actorType, ActorId actorId, string name, CancellationToken cancellationToken) =>
        DeleteAsync(Path(actorType, actorId, "timers", name), $"Unregister timer '{name}' of actor {actorType}/{actorId}", cancellationToken);

    private async Task DeleteAsync(string path, string operation, CancellationToken cancellationToken)
    {
        using var request = sidecar.CreateRequest(HttpMethod.Delete, path);
        using var response = await sidecar.SendCheckedAsync(request, operation, cancellationToken).ConfigureAwait(false);
    }

    private static string Path(string actorType, ActorId actorId, string kind, string name) =>
        $"v1.0/actors/{DaprSidecar.Escape(actorType)}/{DaprSidecar.Escape(actorId.GetId())}/{kind}/{DaprSidecar.Escape(name)}";
}
