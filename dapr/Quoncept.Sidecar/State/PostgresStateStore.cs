using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Quoncept.Sidecar.Components;

namespace Quoncept.Sidecar.State;

/// <summary>
/// <c>state.postgresql</c> v1 (https://docs.dapr.io/reference/components-reference/supported-state-stores/setup-postgresql-v1/)
/// on Npgsql, with daprd's table: <c>key</c> text primary key, <c>value</c> jsonb, <c>isbinary</c> (bytes that are not
/// JSON are kept as a base64 JSON string), <c>insertdate</c>, <c>updatedate</c>, <c>expiredate</c>; the etag is the
/// row's <c>xmin</c>, as daprd reads it, and the migration level is recorded in <c>metadataTableName</c> so daprd takes
/// the table over as it is. jsonb normalises JSON (spaces, key order), as it does under daprd. Every write and every
/// transaction is one database transaction; expired rows are deleted every <c>cleanupInterval</c>.
/// </summary>
internal sealed class PostgresStateStore : IStateStore
{
    private readonly NpgsqlDataSource _source;
    private readonly string _table;
    private readonly Timer? _cleanup;
    private readonly ILogger _logger;

    private PostgresStateStore(string name, bool isActorStateStore, NpgsqlDataSource source, string table, TimeSpan cleanupInterval, ILogger logger)
    {
        Name = name;
        IsActorStateStore = isActorStateStore;
        _source = source;
        _table = table;
        _logger = logger;
        _cleanup = cleanupInterval > TimeSpan.Zero ? new Timer(_ => _ = CleanupAsync(), null, cleanupInterval, cleanupInterval) : null;
    }

    public string Name { get; }

    public bool IsActorStateStore { get; }

    /// <summary>
    /// Metadata: <c>connectionString</c> (pgx keyword/value or URL), <c>tableName</c> ("state"), <c>metadataTableName</c>
    /// ("dapr_metadata"), <c>cleanupInterval</c> / <c>cleanupIntervalInSeconds</c> (1h; 0 or less turns it off),
    /// <c>timeout</c> (20s), <c>maxConns</c>, <c>actorStateStore</c>.
    /// </summary>
    public static PostgresStateStore Create(ComponentDefinition definition, ILogger logger)
    {
        var metadata = ComponentMetadata.Check(definition,
            ["connectionString", "tableName", "metadataTableName", "cleanupInterval", "cleanupIntervalInSeconds", "timeout", "timeoutInSeconds", "maxConns"],
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["useAzureAD"] = "Azure AD authentication is not supported; put the credentials in connectionString",
                ["useAWSIAM"] = "AWS IAM authentication is not supported; put the credentials in connectionString",
                ["awsRegion"] = "AWS IAM authentication is not supported",
                ["awsAccessKey"] = "AWS IAM authentication is not supported",
                ["awsSecretKey"] = "AWS IAM authentication is not supported",
                ["queryExecMode"] = "Npgsql prepares statements itself; there is no pgx exec mode to choose",
                ["connectionMaxIdleTime"] = "Npgsql's pool prunes idle connections itself",
            });
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = PostgresConnectionString.Parse(metadata.Required("connectionString", "host=127.0.0.1 port=5432 user=postgres password=... dbname=dapr"));
        }
        catch (Exception error) when (error is FormatException or ArgumentException or UriFormatException or OverflowException)
        {
            throw metadata.Error("connectionString", $"cannot be read: {error.Message}");
        }
        var timeout = metadata.Text("timeoutInSeconds") is not null && metadata.Text("timeout") is null
            ? TimeSpan.FromSeconds(metadata.Integer("timeoutInSeconds", 20, 1))
            : metadata.Duration("timeout", TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1));
        builder.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds);
        if (builder.Timeout == 15)
        {
            builder.Timeout = 5;
        }
        if (metadata.Integer("maxConns", 0, 0) is > 0 and var maxConns)
        {
            builder.MaxPoolSize = (int)maxConns;
        }
        var cleanup = metadata.Text("cleanupIntervalInSeconds") is not null && metadata.Text("cleanupInterval") is null
            ? TimeSpan.FromSeconds(metadata.Integer("cleanupIntervalInSeconds", 3600))
            : metadata.Duration("cleanupInterval", TimeSpan.FromHours(1));
        var table = Identifier(metadata, "tableName", "state");
        var metadataTable = Identifier(metadata, "metadataTableName", "dapr_metadata");
        var source = NpgsqlDataSource.Create(builder);
        try
        {
            Migrate(source, table, metadataTable);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            source.Dispose();
            var where = $"{builder.Host}:{builder.Port}";
            throw error is PostgresException { SqlState: "28P01" or "28000" }
                ? metadata.Error("connectionString", $"user/password were refused by PostgreSQL at {where}: {error.Message}")
                : metadata.Error("connectionString", $"cannot reach PostgreSQL at {where} (database {builder.Database ?? builder.Username}): {error.GetBaseException().Message}");
        }
        return new PostgresStateStore(definition.Name, metadata.Flag("actorStateStore"), source, table, cleanup, logger);
    }

    public async ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken) =>
        (await GetBulkAsync([key], cancellationToken))[0];

    public async ValueTask<IReadOnlyList<StateEntry?>> GetBulkAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand(
            $"SELECT key, value::text, isbinary, xmin::text FROM {_table} WHERE key = ANY($1) AND (expiredate IS NULL OR expiredate > CURRENT_TIMESTAMP)");
        command.Parameters.Add(new NpgsqlParameter { Value = keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var found = new Dictionary<string, StateEntry>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = reader.GetString(0);
                var text = reader.GetString(1);
                var value = reader.GetBoolean(2) ? Convert.FromBase64String(JsonSerializer.Deserialize<string>(text) ?? "") : Encoding.UTF8.GetBytes(text);
                found[key] = new StateEntry(key, value, reader.GetString(3));
            }
        }
        return keys.Select(k => found.GetValueOrDefault(k)).ToArray();
    }

    public async ValueTask<string?> ApplyAsync(StateOperation operation, CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var etag = await WriteAsync(connection, operation, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return etag;
    }

    public async ValueTask TransactAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var operation in operations)
        {
            // A failure leaves the transaction uncommitted: disposing it rolls every operation back.
            await WriteAsync(connection, operation, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cleanup is not null)
        {
            await _cleanup.DisposeAsync();
        }
        await _source.DisposeAsync();
    }

    private async Task<string?> WriteAsync(NpgsqlConnection connection, StateOperation operation, CancellationToken cancellationToken)
    {
        // daprd's etags are xmin, a 32-bit transaction id: anything else is an invalid etag, not a mismatch.
        if (!string.IsNullOrEmpty(operation.ETag) && !uint.TryParse(operation.ETag, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new StateETagInvalidException(operation.Key, operation.ETag);
        }
        await using var command = connection.CreateCommand();
        command.Parameters.AddWithValue(operation.Key);
        if (operation.Kind == StateOperationKind.Delete)
        {
            command.CommandText = operation.ETag is { Length: > 0 } deleteETag
                ? $"DELETE FROM {_table} WHERE key = $1 AND xmin::text = $2"
                : $"DELETE FROM {_table} WHERE key = $1";
            if (operation.ETag is { Length: > 0 })
            {
                command.Parameters.AddWithValue(operation.ETag);
            }
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            return deleted == 0 && !string.IsNullOrEmpty(operation.ETag) ? throw new StateETagMismatchException(operation.Key) : null;
        }
        var (json, isBinary) = JsonOrBase64(operation.Value);
        command.Parameters.Add(new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.AddWithValue(isBinary);
        var expires = operation.Ttl is { } ttl ? $"CURRENT_TIMESTAMP + interval '{(long)Math.Ceiling(ttl.TotalSeconds)} seconds'" : "NULL";
        if (operation.ETag is { Length: > 0 } etag)
        {
            command.CommandText = $"UPDATE {_table} SET value = $2, isbinary = $3, updatedate = CURRENT_TIMESTAMP, expiredate = {expires} " +
                "WHERE key = $1 AND xmin::text = $4 AND (expiredate IS NULL OR expiredate > CURRENT_TIMESTAMP) RETURNING xmin::text";
            command.Parameters.AddWithValue(etag);
        }
        else
        {
            // An expired row not yet cleaned up counts as absent, also for first-write.
            var onlyIfExpired = operation.Concurrency == StateConcurrency.FirstWrite
                ? " WHERE t.expiredate IS NOT NULL AND t.expiredate < CURRENT_TIMESTAMP"
                : "";
            command.CommandText = $"INSERT INTO {_table} AS t (key, value, isbinary, expiredate) VALUES ($1, $2, $3, {expires}) " +
                $"ON CONFLICT (key) DO UPDATE SET value = excluded.value, isbinary = excluded.isbinary, updatedate = CURRENT_TIMESTAMP, expiredate = {expires}" +
                onlyIfExpired + " RETURNING xmin::text";
        }
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? throw new StateETagMismatchException(operation.Key);
    }

    private static (string Json, bool IsBinary) JsonOrBase64(byte[] value)
    {
        try
        {
            var reader = new Utf8JsonReader(value);
            if (JsonDocument.TryParseValue(ref reader, out var document))
            {
                document.Dispose();
                var text = Encoding.UTF8.GetString(value);
                // jsonb cannot hold the NUL character: such text is kept as bytes.
                if (!text.Contains("\\u0000", StringComparison.Ordinal) && reader.BytesConsumed == value.Length)
                {
                    return (text, false);
                }
            }
        }
        catch (JsonException)
        {
        }
        return (JsonSerializer.Serialize(Convert.ToBase64String(value)), true);
    }

    private async Task CleanupAsync()
    {
        try
        {
            await using var command = _source.CreateCommand($"DELETE FROM {_table} WHERE expiredate IS NOT NULL AND expiredate < CURRENT_TIMESTAMP");
            var removed = await command.ExecuteNonQueryAsync();
            _logger.LogDebug("state store {Name}: removed {Count} expired rows", Name, removed);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            _logger.LogWarning("state store {Name}: removing expired rows failed ({Error}); trying again at the next interval", Name, error.Message);
        }
    }

    /// <summary>daprd's v1 table and metadata table, created when missing; the migration level it would have written.</summary>
    private static void Migrate(NpgsqlDataSource source, string table, string metadataTable)
    {
        using var connection = source.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"CREATE TABLE IF NOT EXISTS {metadataTable} (key text NOT NULL PRIMARY KEY, value text NOT NULL);" +
            $"CREATE TABLE IF NOT EXISTS {table} (key text NOT NULL PRIMARY KEY, value jsonb NOT NULL, isbinary boolean NOT NULL, " +
            "insertdate TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(), updatedate TIMESTAMP WITH TIME ZONE NULL, expiredate TIMESTAMP WITH TIME ZONE NULL);" +
            $"INSERT INTO {metadataTable} (key, value) VALUES ('migrations', '2') ON CONFLICT (key) DO NOTHING;";
        command.ExecuteNonQuery();
    }

    /// <summary>A table name, optionally schema-qualified: letters, digits and '_' only, so it can sit in SQL text.</summary>
    private static string Identifier(ComponentMetadata metadata, string field, string fallback)
    {
        var name = metadata.Text(field) ?? fallback;
        return name.Split('.').All(part => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) && name.Count(c => c == '.') <= 1
            ? name
            : throw metadata.Error(field, $"'{name}' may hold only letters, digits and '_' (with one '.' after a schema name)");
    }
}
