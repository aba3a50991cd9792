using System.Text;
using Quoncept.Sidecar.State;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Unit;

public sealed class SqliteStateStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string File => Path.Combine(_folder.Path, "nested", "state.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Set_ThenReopen_ValueAndETagSurvive()
    {
        string etag;
        await using (var store = Open())
        {
            etag = (await store.ApplyAsync(StateOperation.Upsert("app||k", Bytes("1")), default))!;
        }
        await using (var reopened = Open())
        {
            var entry = await reopened.GetAsync("app||k", default);
            Assert.Equal("1", Encoding.UTF8.GetString(entry!.Value));
            Assert.Equal(etag, entry.ETag);
            var next = await reopened.ApplyAsync(StateOperation.Upsert("app||other", Bytes("2")), default);
            Assert.True(long.Parse(next!) > long.Parse(etag));
        }
    }

    [Fact]
    public async Task Commits_PastSqlitesAutoCheckpointSize_LeftToTheCheckpointer()
    {
        await using var store = SqliteStateStore.Open("statestore", false, $"Data Source={File}", "state", TimeProvider.System, checkpointInterval: Timeout.InfiniteTimeSpan);
        // 1,500 pages of 4 KiB: SQLite's own threshold is 1,000, at which a commit would checkpoint.
        var value = new byte[6000];
        for (var i = 0; i < 1000; i++)
        {
            await store.ApplyAsync(StateOperation.Upsert("k" + i, value), default);
        }

        Assert.True(new FileInfo(File + "-wal").Length > 1300 * 4096, "the writer checkpointed the log itself");
        var (logFrames, checkpointed) = store.Checkpointer!.CheckpointNow();
        Assert.True(logFrames > 1300, $"{logFrames} frames in the log");
        Assert.Equal(logFrames, checkpointed);
        Assert.Equal(6000, (await store.GetAsync("k999", default))!.Value.Length);
    }

    [Fact]
    public async Task Open_InMemoryDatabase_NoCheckpointer()
    {
        await using var store = SqliteStateStore.Open("statestore", false, "Data Source=:memory:", "state", TimeProvider.System);
        Assert.Null(store.Checkpointer);
        await store.ApplyAsync(StateOperation.Upsert("k", Bytes("1")), default);
        Assert.NotNull(await store.GetAsync("k", default));
    }

    [Fact]
    public async Task Upsert_ETags_MismatchForeignAndFirstWrite()
    {
        await using var store = Open();
        var etag = await store.ApplyAsync(StateOperation.Upsert("k", Bytes("1")), default);
        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.ApplyAsync(StateOperation.Upsert("k", Bytes("2"), "999"), default).AsTask());
        // An etag the store never issued is a mismatch, as in daprd's state.sqlite (UUID etags, compared only).
        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.ApplyAsync(StateOperation.Upsert("k", Bytes("2"), "abc"), default).AsTask());
        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.ApplyAsync(StateOperation.Delete("k", "abc"), default).AsTask());
        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.ApplyAsync(StateOperation.Upsert("k", Bytes("2"), null, StateConcurrency.FirstWrite), default).AsTask());
        var newer = await store.ApplyAsync(StateOperation.Upsert("k", Bytes("3"), etag), default);
        Assert.NotEqual(etag, newer);
        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.ApplyAsync(StateOperation.Delete("k", etag), default).AsTask());
        await store.ApplyAsync(StateOperation.Delete("k", newer), default);
        Assert.Null(await store.GetAsync("k", default));
        // A stale etag never matches a key written again later.
        await store.ApplyAsync(StateOperation.Upsert("k", Bytes("4")), default);
        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.ApplyAsync(StateOperation.Upsert("k", Bytes("5"), etag), default).AsTask());
    }

    [Fact]
    public async Task Transact_OneFailure_NothingApplied()
    {
        await using var store = Open();
        await store.ApplyAsync(StateOperation.Upsert("a", Bytes("old")), default);
        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.TransactAsync(
            [StateOperation.Upsert("b", Bytes("new")), StateOperation.Delete("a"), StateOperation.Upsert("c", Bytes("x"), "77")], default).AsTask());
        Assert.Null(await store.GetAsync("b", default));
        Assert.Equal("old", Encoding.UTF8.GetString((await store.GetAsync("a", default))!.Value));

        await store.TransactAsync([StateOperation.Upsert("b", Bytes("new")), StateOperation.Delete("a")], default);
        var bulk = await store.GetBulkAsync(["a", "b"], default);
        Assert.Null(bulk[0]);
        Assert.Equal("new", Encoding.UTF8.GetString(bulk[1]!.Value));
    }

    [Fact]
    public async Task InMemory_SameContract()
    {
        await using var store = new InMemoryStateStore("m", false, TimeProvider.System);
        var etag = await store.ApplyAsync(StateOperation.Upsert("k", Bytes("1")), default);
        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.TransactAsync(
            [StateOperation.Upsert("z", Bytes("1")), StateOperation.Upsert("k", Bytes("2"), etag + "1")], default).AsTask());
        Assert.Null(await store.GetAsync("z", default));
        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.ApplyAsync(StateOperation.Delete("k", "x"), default).AsTask());
    }

    private SqliteStateStore Open() => SqliteStateStore.Open("statestore", true, $"Data Source={File}", "state", TimeProvider.System);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
