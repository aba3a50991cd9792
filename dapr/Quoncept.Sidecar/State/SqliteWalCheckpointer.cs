using Microsoft.Data.Sqlite;

namespace Quoncept.Sidecar.State;

/// <summary>
/// Checkpoints the write-ahead log of a file-backed SQLite state store from a connection of its
/// own, on a timer, so that the store's writer never has to. SQLite's automatic checkpoint runs
/// inside whichever commit crosses 1000 WAL pages: it copies the pages back into the database and
/// fsyncs both files while the store's one connection is held, so every actor turn queued behind
/// that commit waits too (at the universe bench's load that was one or two such stalls a second).
/// A PASSIVE checkpoint (https://www.sqlite.org/c3ref/wal_checkpoint_v2.html) copies what it can
/// without waiting for, or blocking, the writer; the writer then starts the log over once it has
/// all been copied back. Durability is unchanged: with synchronous=NORMAL a commit was never
/// fsynced by itself, only at checkpoints, which still happen every <see cref="Interval"/>.
/// </summary>
internal sealed class SqliteWalCheckpointer : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly SqliteConnection _connection;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _lastFailureLogged;

    private SqliteWalCheckpointer(SqliteConnection connection, ILogger logger, TimeSpan interval)
    {
        _connection = connection;
        _logger = logger;
        _loop = interval == Timeout.InfiniteTimeSpan ? Task.CompletedTask : Task.Run(() => RunAsync(interval));
    }

    /// <summary>Opens the checkpointing connection; with an infinite <paramref name="interval"/> it only checkpoints when asked.</summary>
    public static SqliteWalCheckpointer Start(string connectionString, ILogger logger, TimeSpan interval)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return new SqliteWalCheckpointer(connection, logger, interval);
    }

    /// <summary>
    /// One PASSIVE checkpoint. <c>PRAGMA wal_checkpoint(PASSIVE)</c> answers one row
    /// (busy, frames in the log, frames copied back); the frame counts are -1 when not in WAL mode.
    /// </summary>
    public (long LogFrames, long Checkpointed) CheckpointNow()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(1), reader.GetInt64(2)) : (-1, -1);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _connection.DisposeAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    CheckpointNow();
                }
                catch (SqliteException error)
                {
                    // A checkpoint that fails leaves the log as it was; the next one tries again. Log once a minute at most.
                    var now = Environment.TickCount;
                    if (now - _lastFailureLogged > 60_000 || _lastFailureLogged == 0)
                    {
                        _lastFailureLogged = now;
                        _logger.LogWarning("state store {DataSource}: WAL checkpoint failed ({Error}); the log keeps growing until one succeeds", _connection.DataSource, error.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }
}
