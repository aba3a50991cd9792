using System.Text.Json;
using Quoncept.Sidecar.Actors.Durations;
using Quoncept.Sidecar.Actors.Timers;

namespace Quoncept.Sidecar.Actors.Reminders;

/// <summary>
/// A persistent reminder. <see cref="NextFire"/> and <see cref="Remaining"/> are saved after every fire,
/// so a restarted runtime carries on where the last one stopped.
/// </summary>
internal sealed record ActorReminder(
    ActorKey Actor,
    string Name,
    string? Data,
    string DueTime,
    string Period,
    string? Ttl,
    DateTimeOffset RegisteredTime,
    DateTimeOffset? ExpirationTime,
    DateTimeOffset NextFire,
    int Remaining)
{
    public ActorSchedule Schedule => new(NextFire, ActorPeriod.Parse(Period), ExpirationTime);

    /// <summary>The body of <c>PUT /actors/{type}/{id}/method/remind/{name}</c>: <c>{"data","dueTime","period"}</c>.</summary>
    public byte[] CallbackBody()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteData(json);
            json.WriteString("dueTime", DueTime);
            json.WriteString("period", Period);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The answer of <c>GET /v1.0/actors/{type}/{id}/reminders/{name}</c>, shaped as daprd's.</summary>
    public void WriteApiView(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("actorID", Actor.Id);
        json.WriteString("actorType", Actor.Type);
        WriteData(json);
        json.WriteString("dueTime", DueTime);
        json.WriteString("period", Period);
        if (Ttl is not null)
        {
            json.WriteString("ttl", Ttl);
        }
        json.WriteEndObject();
    }

    /// <summary>One entry of the stored reminder list (key <c>actors||{actorType}</c>, as daprd keeps them).</summary>
    public void WriteStored(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("actorID", Actor.Id);
        json.WriteString("actorType", Actor.Type);
        json.WriteString("name", Name);
        WriteData(json);
        json.WriteString("dueTime", DueTime);
        json.WriteString("period", Period);
        if (Ttl is not null)
        {
            json.WriteString("ttl", Ttl);
        }
        json.WriteString("registeredTime", RegisteredTime);
        if (ExpirationTime is { } expiration)
        {
            json.WriteString("expirationTime", expiration);
        }
        json.WriteString("nextFireTime", NextFire);
        json.WriteNumber("remaining", Remaining);
        json.WriteEndObject();
    }

    /// <summary>Reads an entry written by <see cref="WriteStored"/>; throws <see cref="FormatException"/>.</summary>
    public static ActorReminder ReadStored(JsonElement entry)
    {
        try
        {
            var data = entry.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null ? d.GetRawText() : null;
            var period = entry.GetProperty("period").GetString() ?? "";
            ActorPeriod.Parse(period);
            return new ActorReminder(
                new ActorKey(entry.GetProperty("actorType").GetString()!, entry.GetProperty("actorID").GetString()!),
                entry.GetProperty("name").GetString()!,
                data,
                entry.GetProperty("dueTime").GetString() ?? "",
                period,
                entry.TryGetProperty("ttl", out var ttl) ? ttl.GetString() : null,
                entry.GetProperty("registeredTime").GetDateTimeOffset(),
                entry.TryGetProperty("expirationTime", out var expiration) ? expiration.GetDateTimeOffset() : null,
                entry.GetProperty("nextFireTime").GetDateTimeOffset(),
                entry.GetProperty("remaining").GetInt32());
        }
        catch (Exception error) when (error is KeyNotFoundException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new FormatException($"stored reminder {entry.GetRawText()} is not readable: {error.Message}", error);
        }
    }

    private void WriteData(Utf8JsonWriter json)
    {
        json.WritePropertyName("data");
        if (Data is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(Data, skipInputValidation: true);
        }
    }
}
