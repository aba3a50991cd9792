using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Quoncept.Sidecar.State;

/// <summary>
/// <c>state.sqlite</c> (https://docs.dapr.io/reference/components-reference/supported-state-stores/setup-sqlite/):
/// one table (key, value, etag, expiration) in a file kept across restarts. Etags are a store-wide
/// increasing number, so a stale etag never matches a re-created key. One connection behind one
/// gate serialises writers; every operation and transaction is one SQLite transaction.
/// </summary>
internal sealed class SqliteStateStore : IStateStore
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private readonly string _table;
    private SqliteWalCheckpointer? _checkpointer;
    private long _version;

    // Prepared once and reused under the gate: Microsoft.Data.Sqlite compiles a statement per command, and
    // compiling them on every call was about half of SQLite's CPU under load.
    private SqliteCommand? _read;
    private SqliteCommand? _readETag;
    private SqliteCommand? _upsert;
    private SqliteCommand? _delete;

    private SqliteStateStore(string name, bool isActorStateStore, SqliteConnection connection, string table, TimeProvider time)
    {
        Name = name;
        IsActorStateStore = isActorStateStore;
        _connection = connection;
        _table = table;
        _time = time;
    }

    public string Name { get; }

    public bool IsActorStateStore { get; }

    /// <summary>
    /// Opens (creating if needed) the database file and its table. A file's write-ahead log is
    /// checkpointed by a <see cref="SqliteWalCheckpointer"/> every <paramref name="checkpointInterval"/>
    /// (default <see cref="SqliteWalCheckpointer.Interval"/>), never by a commit.
    /// </summary>
    public static SqliteStateStore Open(string name, bool isActorStateStore, string connectionString, string table, TimeProvider time,
        ILogger? logger = null, TimeSpan? checkpointInterval = null)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var isFile = builder.DataSource is { Length: > 0 } path && path != ":memory:" && builder.Mode != SqliteOpenMode.Memory;
        if (isFile)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        var store = new SqliteStateStore(name, isActorStateStore, connection, table, time);
        // One connection does every read and write, so its page cache stays valid: a 64 MiB cache and
        // a memory-mapped file keep reads of hot actor state off the read(2) path.
        store.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;");
        store.Execute($"CREATE TABLE IF NOT EXISTS \"{table}\" (key TEXT NOT NULL PRIMARY KEY, value BLOB NOT NULL, etag INTEGER NOT NULL, expires_at INTEGER NULL) WITHOUT ROWID;");
        if (isFile)
        {
            store.Execute("PRAGMA wal_autocheckpoint=0;");
            store._checkpointer = SqliteWalCheckpointer.Start(builder.ToString(), logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, checkpointInterval ?? SqliteWalCheckpointer.Interval);
        }
        using var max = connection.CreateCommand();
        max.CommandText = $"SELECT COALESCE(MAX(etag), 0) FROM \"{table}\"";
        store._version = Convert.ToInt64(max.ExecuteScalar(), CultureInfo.InvariantCulture);
        return store;
    }

    public async ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return Read(key);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<IReadOnlyList<StateEntry?>> GetBulkAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var results = new StateEntry?[keys.Count];
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var i = 0; i < keys.Count; i++)
            {
                results[i] = Read(keys[i]);
            }
        }
        finally
        {
            _gate.Release();
        }
        return results;
    }

    public async ValueTask<string?> ApplyAsync(StateOperation operation, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _connection.BeginTransaction();
            var etag = CheckAndWrite(operation, transaction);
            transaction.Commit();
            return etag;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask TransactAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _connection.BeginTransaction();
            var before = _version;
            try
            {
                foreach (var operation in operations)
                {
                    CheckAndWrite(operation, transaction);
                }
                transaction.Commit();
            }
            catch
            {
                transaction.Rollback();
                _version = before;
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The store's checkpointer (null for an in-memory database).</summary>
    internal SqliteWalCheckpointer? Checkpointer => _checkpointer;

    public async ValueTask DisposeAsync()
    {
        if (_checkpointer is not null)
        {
            await _checkpointer.DisposeAsync();
        }
        await _gate.WaitAsync();
        foreach (var command in new[] { _read, _readETag, _upsert, _delete })
        {
            command?.Dispose();
        }
        await _connection.DisposeAsync();
        _gate.Dispose();
    }

    private StateEntry? Read(string key, SqliteTransaction? transaction = null)
    {
        using var reader = LiveEntry(_read ??= PrepareLiveEntry("value, etag"), key, transaction).ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        return new StateEntry(key, (byte[])reader.GetValue(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The etag of a live entry, without reading its value: a write only compares etags.</summary>
    private string? CurrentETag(string key, SqliteTransaction transaction) =>
        LiveEntry(_readETag ??= PrepareLiveEntry("etag"), key, transaction).ExecuteScalar() is long etag
            ? etag.ToString(CultureInfo.InvariantCulture)
            : null;

    /// <summary>A query of <paramref name="columns"/> of one key's entry, if it has not expired.</summary>
    private SqliteCommand PrepareLiveEntry(string columns) =>
        Prepare($"SELECT {columns} FROM \"{_table}\" WHERE key = $key AND (expires_at IS NULL OR expires_at > $now)",
            ("$key", SqliteType.Text), ("$now", SqliteType.Integer));

    private SqliteCommand LiveEntry(SqliteCommand query, string key, SqliteTransaction? transaction)
    {
        query.Transaction = transaction;
        query.Parameters[0].Value = key;
        query.Parameters[1].Value = _time.GetUtcNow().ToUnixTimeMilliseconds();
        return query;
    }

    private string? CheckAndWrite(StateOperation operation, SqliteTransaction transaction)
    {
        var current = CurrentETag(operation.Key, transaction);
        if (string.IsNullOrEmpty(operation.ETag))
        {
            if (operation.Concurrency == StateConcurrency.FirstWrite && operation.Kind == StateOperationKind.Upsert && current is not null)
            {
                throw new StateETagMismatchException(operation.Key);
            }
        }
        // daprd's state.sqlite compares etags and never parses them: one it did not issue is a mismatch, not an error.
        else if (current != operation.ETag)
        {
            throw new StateETagMismatchException(operation.Key);
        }

        if (operation.Kind == StateOperationKind.Delete)
        {
            var delete = _delete ??= Prepare($"DELETE FROM \"{_table}\" WHERE key = $key", ("$key", SqliteType.Text));
            delete.Transaction = transaction;
            delete.Parameters[0].Value = operation.Key;
            delete.ExecuteNonQuery();
            return null;
        }
        var etag = ++_version;
        var upsert = _upsert ??= Prepare($"INSERT INTO \"{_table}\" (key, value, etag, expires_at) VALUES ($key, $value, $etag, $expires) " +
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, etag = excluded.etag, expires_at = excluded.expires_at",
            ("$key", SqliteType.Text), ("$value", SqliteType.Blob), ("$etag", SqliteType.Integer), ("$expires", SqliteType.Integer));
        upsert.Transaction = transaction;
        upsert.Parameters[0].Value = operation.Key;
        upsert.Parameters[1].Value = operation.Value;
        upsert.Parameters[2].Value = etag;
        upsert.Parameters[3].Value = operation.Ttl is { } ttl
            ? (_time.GetUtcNow() + ttl).ToUnixTimeMilliseconds()
            : DBNull.Value;
        upsert.ExecuteNonQuery();
        return etag.ToString(CultureInfo.InvariantCulture);
    }

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }
        return command;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
