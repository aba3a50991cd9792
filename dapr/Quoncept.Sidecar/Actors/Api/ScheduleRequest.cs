using System.Text.Json;
using Quoncept.Sidecar.Api;

namespace Quoncept.Sidecar.Actors.Api;

/// <summary>
/// The body of a reminder or timer registration
/// (https://docs.dapr.io/reference/api/actors_api/#reminder-request-body):
/// <c>{"dueTime":string, "period":string, "ttl":string, "data":any JSON, "callback":string}</c>, all optional.
/// <see cref="Data"/> keeps the JSON text as sent.
/// </summary>
internal sealed record ScheduleRequest(string? DueTime, string? Period, string? Ttl, string? Data, string? Callback)
{
    /// <summary>Reads the body; throws the Dapr 400 error naming what is wrong.</summary>
    public static ScheduleRequest Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException error)
        {
            throw ActorErrors.Malformed(body.Length == 0 ? "the body is empty; send a JSON object such as {\"dueTime\":\"1s\",\"period\":\"5s\"}" : error.Message, error);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw ActorErrors.Malformed($"expected a JSON object, got {root.ValueKind}");
            }
            string? data = null;
            if (JsonFields.TryGet(root, "data", out var dataElement) && dataElement.ValueKind != JsonValueKind.Null)
            {
                data = dataElement.GetRawText();
            }
            return new ScheduleRequest(Text(root, "dueTime"), Text(root, "period"), Text(root, "ttl"), data, Text(root, "callback"));
        }
    }

    private static string? Text(JsonElement root, string name)
    {
        if (!JsonFields.TryGet(root, name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw ActorErrors.Malformed($"{name} must be a string, got {value.GetRawText()}");
    }
}
