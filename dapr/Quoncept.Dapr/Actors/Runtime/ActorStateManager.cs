using System.Text.Json;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>
/// The change tracker behind <see cref="Actor.StateManager"/>: reads go through a per-actor cache, writes only
/// mark entries, and <see cref="SaveStateAsync"/> turns the marks into one transaction.
/// Not thread-safe by design: the actor's mailbox runs one turn at a time.
/// </summary>
internal sealed class ActorStateManager(ActorHost host) : IActorStateManager
{
    private readonly Dictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    private enum Kind
    {
        Clean,   // present in the store, unchanged
        Absent,  // known not to be in the store, nothing to do
        Add,     // not in the store, upsert pending
        Update,  // upsert pending
        Remove,  // delete pending
    }

    public async Task AddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        if (!await TryAddStateAsync(stateName, value, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Actor {host.ActorTypeName}/{host.Id} already has state '{stateName}'.");
        }
    }

    public async Task<bool> TryAddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        var entry = await LookupAsync(stateName, cancellationToken).ConfigureAwait(false);
        if (entry.IsPresent)
        {
            return false;
        }

        _cache[stateName] = new Entry(value, typeof(T), entry.Kind == Kind.Remove ? Kind.Update : Kind.Add);
        return true;
    }

    public async Task<T> GetStateAsync<T>(string stateName, CancellationToken cancellationToken = default)
    {
        var result = await TryGetStateAsync<T>(stateName, cancellationToken).ConfigureAwait(false);
        return result.HasValue
            ? result.Value
            : throw new KeyNotFoundException($"Actor {host.ActorTypeName}/{host.Id} has no state '{stateName}'.");
    }

    public async Task<ConditionalValue<T>> TryGetStateAsync<T>(string stateName, CancellationToken cancellationToken = default)
    {
        var entry = await LookupAsync(stateName, cancellationToken, typeof(T)).ConfigureAwait(false);
        return entry.IsPresent ? new ConditionalValue<T>(true, entry.As<T>(host.JsonSerializerOptions)) : default;
    }

    public Task SetStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        var kind = _cache.TryGetValue(stateName, out var entry) && entry.Kind is Kind.Add or Kind.Absent ? Kind.Add : Kind.Update;
        _cache[stateName] = new Entry(value, typeof(T), kind);
        return Task.CompletedTask;
    }

    public async Task RemoveStateAsync(string stateName, CancellationToken cancellationToken = default)
    {
        if (!await TryRemoveStateAsync(stateName, cancellationToken).ConfigureAwait(false))
        {
            throw new KeyNotFoundException($"Actor {host.ActorTypeName}/{host.Id} has no state '{stateName}' to remove.");
        }
    }

    public async Task<bool> TryRemoveStateAsync(string stateName, CancellationToken cancellationToken = default)
    {
        var entry = await LookupAsync(stateName, cancellationToken).ConfigureAwait(false);
        if (!entry.IsPresent)
        {
            return false;
        }

        _cache[stateName] = new Entry(null, typeof(object), entry.Kind == Kind.Add ? Kind.Absent : Kind.Remove);
        return true;
    }

    public async Task<bool> ContainsStateAsync(string stateName, CancellationToken cancellationToken = default) =>
        (await LookupAsync(stateName, cancellationToken).ConfigureAwait(false)).IsPresent;

    public async Task<T> GetOrAddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        var existing = await TryGetStateAsync<T>(stateName, cancellationToken).ConfigureAwait(false);
        if (existing.HasValue)
        {
            return existing.Value;
        }

        await AddStateAsync(stateName, value, cancellationToken).ConfigureAwait(false);
        return value;
    }

    public async Task<T> AddOrUpdateStateAsync<T>(string stateName, T addValue, Func<string, T, T> updateValueFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updateValueFactory);
        var existing = await TryGetStateAsync<T>(stateName, cancellationToken).ConfigureAwait(false);
        var value = existing.HasValue ? updateValueFactory(stateName, existing.Value) : addValue;
        await SetStateAsync(stateName, value, cancellationToken).ConfigureAwait(false);
        return value;
    }

    public Task ClearCacheAsync(CancellationToken cancellationToken = default)
    {
        _cache.Clear();
        return Task.CompletedTask;
    }

    public async Task SaveStateAsync(CancellationToken cancellationToken = default)
    {
        var changes = PendingChanges();
        if (changes.Count == 0)
        {
            return;
        }

        await host.StateProvider.SaveStateAsync(host.ActorTypeName, host.Id.GetId(), changes, cancellationToken).ConfigureAwait(false);
        foreach (var change in changes)
        {
            var entry = _cache[change.StateName];
            _cache[change.StateName] = entry with { Kind = change.IsDelete ? Kind.Absent : Kind.Clean };
        }
    }

    /// <summary>The transaction the next save would send, in first-touched order.</summary>
    internal List<ActorStateChange> PendingChanges()
    {
        var changes = new List<ActorStateChange>();
        foreach (var (name, entry) in _cache)
        {
            switch (entry.Kind)
            {
                case Kind.Add or Kind.Update:
                    changes.Add(new ActorStateChange(name, JsonSerializer.SerializeToUtf8Bytes(entry.Value, entry.ValueType, host.JsonSerializerOptions)));
                    break;
                case Kind.Remove:
                    changes.Add(new ActorStateChange(name, null));
                    break;
            }
        }

        return changes;
    }

    private async ValueTask<Entry> LookupAsync(string stateName, CancellationToken cancellationToken, Type? loadAs = null)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        if (_cache.TryGetValue(stateName, out var cached))
        {
            return cached;
        }

        var bytes = await host.StateProvider.TryLoadStateAsync(host.ActorTypeName, host.Id.GetId(), stateName, cancellationToken).ConfigureAwait(false);
        Entry entry;
        if (bytes is null)
        {
            entry = new Entry(null, typeof(object), Kind.Absent);
        }
        else
        {
            // Keep the raw JSON until someone asks for a type: Contains/Remove need no deserialization.
            using var doc = JsonDocument.Parse(bytes);
            entry = new Entry(doc.RootElement.Clone(), typeof(JsonElement), Kind.Clean);
            if (loadAs is not null && loadAs != typeof(JsonElement))
            {
                entry = entry with { Value = entry.Convert(loadAs, host.JsonSerializerOptions), ValueType = loadAs };
            }
        }

        _cache[stateName] = entry;
        return entry;
    }

    private sealed record Entry(object? Value, Type ValueType, Kind Kind)
    {
        public bool IsPresent => Kind is Kind.Clean or Kind.Add or Kind.Update;

        public T As<T>(JsonSerializerOptions options) => Value is T typed ? typed : (T)Convert(typeof(T), options)!;

        public object? Convert(Type target, JsonSerializerOptions options)
        {
            if (Value is null || target.IsInstanceOfType(Value))
            {
                return Value;
            }

            var element = Value is JsonElement e ? e : JsonSerializer.SerializeToElement(Value, ValueType, options);
            try
            {
                return element.Deserialize(target, options);
            }
            catch (JsonException ex)
            {
                throw new InvalidOperationException($"Stored actor state is not JSON of type {target.Name}: {ex.Message}", ex);
            }
        }
    }
}
