using System.Text.Json;

namespace Quoncept.Sidecar.Actors.Reminders;

/// <summary>One stored list of reminders (the whole type's, or one partition's), as daprd writes it.</summary>
internal static class ReminderArray
{
    /// <summary>A stored list: a JSON array of daprd reminder objects (see <see cref="ActorReminder.WriteStored"/>).</summary>
    public static List<ActorReminder> Read(byte[] value, string key, string storeName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value);
        }
        catch (JsonException error)
        {
            throw new FormatException($"reminders {key} in state store {storeName} are not JSON: {error.Message}", error);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"reminders {key} in state store {storeName} are not a JSON array of reminders");
            }
            try
            {
                return document.RootElement.EnumerateArray().Select(ActorReminder.ReadStored).ToList();
            }
            catch (FormatException error)
            {
                throw new FormatException($"reminders {key} in state store {storeName}: {error.Message}", error);
            }
        }
    }

    public static byte[] Write(IEnumerable<ActorReminder> reminders)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var reminder in reminders)
            {
                reminder.WriteStored(json);
            }
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }
}
