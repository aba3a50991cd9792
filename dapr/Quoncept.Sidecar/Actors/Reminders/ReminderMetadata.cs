using System.Text.Json;

namespace Quoncept.Sidecar.Actors.Reminders;

/// <summary>
/// The record at <c>actors||{type}||metadata</c>: which partition layout holds the type's reminders.
/// Absent means daprd's default, the nil id with no partitions (one array at <c>actors||{type}</c>).
/// </summary>
internal sealed record ReminderMetadata(string Id, int PartitionCount)
{
    public static readonly ReminderMetadata Unpartitioned = new("00000000-0000-0000-0000-000000000000", 0);

    /// <summary>
    /// Reads <c>{"id":"..","actorRemindersMetadata":{"partitionCount":N}}</c> (extra fields ignored, as daprd does);
    /// throws <see cref="FormatException"/> naming <paramref name="key"/> when it is not that.
    /// </summary>
    public static ReminderMetadata Parse(ReadOnlySpan<byte> value, string key)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(value);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException error)
        {
            throw new FormatException($"reminder metadata {key} is not JSON: {error.Message}", error);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"reminder metadata {key} must be a JSON object, got {root.ValueKind}");
            }
            var count = 0;
            if (root.TryGetProperty("actorRemindersMetadata", out var reminders) && reminders.ValueKind != JsonValueKind.Null)
            {
                if (reminders.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"reminder metadata {key}: actorRemindersMetadata must be an object");
                }
                if (reminders.TryGetProperty("partitionCount", out var partitions) && partitions.ValueKind != JsonValueKind.Null
                    && (partitions.ValueKind != JsonValueKind.Number || !partitions.TryGetInt32(out count) || count < 0 || count > ReminderKeys.MaxPartitions))
                {
                    throw new FormatException(
                        $"reminder metadata {key}: partitionCount must be an integer from 0 to {ReminderKeys.MaxPartitions}, got {partitions.GetRawText()}");
                }
            }
            var id = root.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
            if (count > 0 && (string.IsNullOrEmpty(id) || id.Contains("||", StringComparison.Ordinal)))
            {
                throw new FormatException($"reminder metadata {key}: a partitioned layout needs a non-empty string id without '||', got {(idValue.ValueKind == JsonValueKind.Undefined ? "none" : idValue.GetRawText())}");
            }
            return new ReminderMetadata(id ?? Unpartitioned.Id, count);
        }
    }

    public byte[] Write()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", Id);
            json.WriteStartObject("actorRemindersMetadata");
            json.WriteNumber("partitionCount", PartitionCount);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
