using System.Globalization;
using Quoncept.Sidecar.Components;
using StackExchange.Redis;

namespace Quoncept.Sidecar.State;

/// <summary>
/// <c>state.redis</c> (https://docs.dapr.io/reference/components-reference/supported-state-stores/setup-redis/) with
/// daprd's layout, so state written here is read by daprd unchanged: each key (<c>appid||key</c>, actor state
/// <c>appid||ActorType||actorId||key</c>) is a Redis hash with the saved bytes in <c>data</c> and the etag, a
/// counter incremented on every write, in <c>version</c>. Every write, and every transaction as a whole, is one Lua
/// script that checks all etags before it writes anything, so a transaction is atomic (daprd's MULTI pipeline is
/// not: a failed etag there leaves the other operations applied). A key that is not such a hash is an error that
/// names its Redis type, for reads and writes alike.
/// </summary>
internal sealed class RedisStateStore(string name, bool isActorStateStore, ConnectionMultiplexer connection, TimeSpan? defaultTtl) : IStateStore
{
    // Per operation 5 arguments: kind ("s" upsert, "d" delete), etag ("" none), first-write ("1"/"0"), TTL in ms (0 none), data.
    // Pass 1 checks every etag against the state as the earlier operations will leave it; pass 2 writes.
    // Returns each operation's new version (0 for a delete).
    private const string ApplyScript = """
        local planned = {}
        local function current(key)
          local p = planned[key]
          if p ~= nil then return p end
          local kind = redis.call('TYPE', key)['ok']
          if kind == 'none' then return false end
          if kind ~= 'hash' then return 'WRONGTYPE:' .. kind end
          local version = redis.call('HGET', key, 'version')
          if not version then return 'WRONGTYPE:hash without a version field' end
          return version
        end
        for i = 1, #KEYS do
          local at = (i - 1) * 5
          local version = current(KEYS[i])
          if version and string.sub(version, 1, 10) == 'WRONGTYPE:' then
            return redis.error_reply('DAPR_WRONGTYPE ' .. i .. ' ' .. string.sub(version, 11))
          end
          local etag = ARGV[at + 2]
          if etag ~= '' then
            if version ~= etag then return redis.error_reply('DAPR_ETAG_MISMATCH ' .. i) end
          elseif ARGV[at + 3] == '1' and ARGV[at + 1] == 's' and version then
            return redis.error_reply('DAPR_ETAG_MISMATCH ' .. i)
          end
          if ARGV[at + 1] == 's' then
            planned[KEYS[i]] = tostring((tonumber(version) or 0) + 1)
          else
            planned[KEYS[i]] = false
          end
        end
        local versions = {}
        for i = 1, #KEYS do
          local at = (i - 1) * 5
          if ARGV[at + 1] == 'd' then
            redis.call('DEL', KEYS[i])
            versions[i] = 0
          else
            redis.call('HSET', KEYS[i], 'data', ARGV[at + 5])
            versions[i] = redis.call('HINCRBY', KEYS[i], 'version', 1)
            local ttl = tonumber(ARGV[at + 4])
            if ttl > 0 then redis.call('PEXPIRE', KEYS[i], ttl) else redis.call('PERSIST', KEYS[i]) end
          end
        end
        return versions
        """;

    private static readonly RedisValue[] DataAndVersion = ["data", "version"];

    public string Name { get; } = name;

    public bool IsActorStateStore { get; } = isActorStateStore;

    /// <summary><c>state.redis</c> metadata: the connection fields, <c>ttlInSeconds</c> (default TTL), <c>actorStateStore</c>.</summary>
    public static RedisStateStore Create(ComponentDefinition definition, ILogger logger)
    {
        var metadata = ComponentMetadata.Check(definition, [.. RedisConnector.Fields, "ttlInSeconds"],
            new Dictionary<string, string>(RedisConnector.RefusedFields, StringComparer.Ordinal)
            {
                ["queryIndexes"] = "the state query API (RediSearch) is not implemented",
            });
        var ttl = metadata.Integer("ttlInSeconds", 0, -1);
        return new RedisStateStore(definition.Name, metadata.Flag("actorStateStore"), RedisConnector.Connect(metadata, logger),
            ttl > 0 ? TimeSpan.FromSeconds(ttl) : null);
    }

    public async ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var fields = await Run(key, () => connection.GetDatabase().HashGetAsync(key, DataAndVersion));
        return Entry(key, fields);
    }

    public async ValueTask<IReadOnlyList<StateEntry?>> GetBulkAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        // One round trip: the multiplexer pipelines every HMGET of the batch.
        var batch = connection.GetDatabase().CreateBatch();
        var reads = keys.Select(key => batch.HashGetAsync(key, DataAndVersion)).ToArray();
        batch.Execute();
        var results = new StateEntry?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            results[i] = Entry(keys[i], await Run(keys[i], () => reads[i]));
        }
        return results;
    }

    public async ValueTask<string?> ApplyAsync(StateOperation operation, CancellationToken cancellationToken)
    {
        var versions = await RunScriptAsync([operation]);
        return operation.Kind == StateOperationKind.Delete ? null : versions[0];
    }

    public async ValueTask TransactAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        if (operations.Count > 0)
        {
            await RunScriptAsync(operations);
        }
    }

    public async ValueTask DisposeAsync() => await connection.CloseAsync();

    private async Task<string[]> RunScriptAsync(IReadOnlyList<StateOperation> operations)
    {
        var keys = new RedisKey[operations.Count];
        var args = new RedisValue[operations.Count * 5];
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            // daprd's Redis store parses etags as integers: anything else is an invalid etag, not a mismatch.
            if (!string.IsNullOrEmpty(operation.ETag) && !long.TryParse(operation.ETag, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new StateETagInvalidException(operation.Key, operation.ETag);
            }
            keys[i] = operation.Key;
            var ttl = operation.Ttl ?? defaultTtl;
            args[i * 5] = operation.Kind == StateOperationKind.Upsert ? "s" : "d";
            args[i * 5 + 1] = operation.ETag ?? "";
            args[i * 5 + 2] = operation.Concurrency == StateConcurrency.FirstWrite ? "1" : "0";
            args[i * 5 + 3] = ttl is { } span ? (long)Math.Ceiling(span.TotalMilliseconds) : 0;
            args[i * 5 + 4] = operation.Value;
        }
        try
        {
            var result = await connection.GetDatabase().ScriptEvaluateAsync(ApplyScript, keys, args);
            return ((RedisResult[])result!).Select(v => ((long)v).ToString(CultureInfo.InvariantCulture)).ToArray();
        }
        catch (RedisServerException error) when (error.Message.StartsWith("DAPR_", StringComparison.Ordinal))
        {
            var parts = error.Message.Split(' ', 3);
            var key = operations[int.Parse(parts[1], CultureInfo.InvariantCulture) - 1].Key;
            throw parts[0] == "DAPR_ETAG_MISMATCH"
                ? new StateETagMismatchException(key)
                : WrongType(key, parts.Length > 2 ? parts[2] : "?");
        }
    }

    private StateEntry? Entry(string key, RedisValue[] fields)
    {
        if (fields[0].IsNull && fields[1].IsNull)
        {
            return null;
        }
        if (fields[0].IsNull || fields[1].IsNull)
        {
            throw WrongType(key, $"hash without a {(fields[0].IsNull ? "data" : "version")} field");
        }
        return new StateEntry(key, (byte[])fields[0]!, fields[1].ToString());
    }

    private async Task<RedisValue[]> Run(string key, Func<Task<RedisValue[]>> read)
    {
        try
        {
            return await read();
        }
        catch (RedisServerException error) when (error.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
        {
            var type = await connection.GetDatabase().KeyTypeAsync(key);
            throw WrongType(key, type.ToString().ToLowerInvariant());
        }
    }

    private InvalidOperationException WrongType(string key, string found) =>
        new($"state store {Name}: Redis key '{key}' holds a {found}, not a Dapr state hash (fields data and version); remove or rename that key");
}
