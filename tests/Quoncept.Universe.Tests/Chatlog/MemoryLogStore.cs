using System.Globalization;
using Quoncept.Chatlog.Log;

namespace Quoncept.Universe.Tests.Chatlog;

/// <summary>
/// The state store's contract the chat log relies on, in memory: bulk reads with etags, and transactions that
/// write all or nothing, refusing a stale etag or a first write of a key that exists (as state.in-memory does).
/// <see cref="BeforeCommit"/> lets a test run another writer between a writer's reads and its commit.
/// </summary>
internal sealed class MemoryLogStore : ILogStore
{
    private readonly Dictionary<string, (byte[] Json, long Version)> _items = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version;

    public Func<Task>? BeforeCommit { get; set; }

    public int Commits { get; private set; }

    public int Conflicts { get; private set; }

    public IReadOnlyCollection<string> Keys { get { lock (_gate) return [.. _items.Keys]; } }

    public Task<IReadOnlyDictionary<string, StoredValue>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var found = new Dictionary<string, StoredValue>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (_items.TryGetValue(key, out var item)) found[key] = new StoredValue([.. item.Json], item.Version.ToString(CultureInfo.InvariantCulture));
            }
            return Task.FromResult<IReadOnlyDictionary<string, StoredValue>>(found);
        }
    }

    public async Task CommitAsync(IReadOnlyList<LogWrite> writes, CancellationToken cancellationToken)
    {
        if (BeforeCommit is { } hook)
        {
            BeforeCommit = null;
            await hook();
        }
        lock (_gate)
        {
            foreach (var write in writes)
            {
                var exists = _items.TryGetValue(write.Key, out var current);
                var ok = write.ETag is null ? !exists : exists && current.Version.ToString(CultureInfo.InvariantCulture) == write.ETag;
                if (!ok)
                {
                    Conflicts++;
                    throw new InvalidOperationException($"etag mismatch on {write.Key}");
                }
            }
            foreach (var write in writes) _items[write.Key] = ([.. write.Json], ++_version);
            Commits++;
        }
    }

    public T Read<T>(string key)
    {
        lock (_gate) return LogJson.Read<T>(new StoredValue(_items[key].Json, ""));
    }
}
