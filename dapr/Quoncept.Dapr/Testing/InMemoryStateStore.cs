using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Quoncept.Dapr.Testing;

/// <summary>
/// The test host's key/value state stores (any store name), with Dapr's etag rules: every write gets a new etag,
/// a write or delete that names an etag fails unless it matches, and a transaction applies all or nothing.
/// </summary>
public sealed class InMemoryStateStore
{
    private readonly Dictionary<(string Store, string Key), (byte[] Value, long ETag)> _items = new();
    private readonly JsonSerializerOptions _jsonOptions;
    private long _nextETag;

    internal InMemoryStateStore(JsonSerializerOptions jsonOptions) => _jsonOptions = jsonOptions;

    public bool TryGet<T>(string storeName, string key, out T value)
    {
        var found = TryRead(storeName, key, out var bytes, out _);
        value = found ? JsonSerializer.Deserialize<T>(bytes, _jsonOptions)! : default!;
        return found;
    }

    public void Set<T>(string storeName, string key, T value) =>
        Apply(storeName, [new Change(key, JsonSerializer.SerializeToUtf8Bytes(value, _jsonOptions), null)]);

    internal bool TryRead(string storeName, string key, out byte[] value, out string etag)
    {
        lock (_items)
        {
            if (_items.TryGetValue((storeName, key), out var item))
            {
                value = item.Value;
                etag = item.ETag.ToString(CultureInfo.InvariantCulture);
                return true;
            }
        }

        value = [];
        etag = "";
        return false;
    }

    /// <summary>Applies all changes or none; a stale etag answers like daprd: 409 ERR_STATE_TRANSACTION.</summary>
    internal void Apply(string storeName, IReadOnlyList<Change> changes)
    {
        lock (_items)
        {
            foreach (var change in changes.Where(c => c.ETag is not null))
            {
                var current = _items.TryGetValue((storeName, change.Key), out var item) ? item.ETag.ToString(CultureInfo.InvariantCulture) : null;
                if (current != change.ETag)
                {
                    throw new DaprApiException($"possible etag mismatch for key '{change.Key}' in '{storeName}'", "ERR_STATE_TRANSACTION", HttpStatusCode.Conflict);
                }
            }

            foreach (var change in changes)
            {
                if (change.Value is null)
                {
                    _items.Remove((storeName, change.Key));
                }
                else
                {
                    _items[(storeName, change.Key)] = (change.Value, ++_nextETag);
                }
            }
        }
    }

    internal sealed record Change(string Key, byte[]? Value, string? ETag);
}
