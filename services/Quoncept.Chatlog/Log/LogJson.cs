using System.Text.Json;
using Quoncept.Contracts;

namespace Quoncept.Chatlog.Log;

/// <summary>How the log's records are stored: UTF-8 JSON with the project's wire conventions.</summary>
internal static class LogJson
{
    public static byte[] Write<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, WireJson.Options);

    public static T Read<T>(StoredValue stored) =>
        JsonSerializer.Deserialize<T>(stored.Json, WireJson.Options) ?? throw new JsonException($"a stored {typeof(T).Name} is null");
}
