using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Quoncept.Sidecar.Actors;
using Quoncept.Sidecar.Actors.Reminders;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Tests.Actors;

/// <summary>Byte-level tests of daprd's partitioned reminder layout and the store that keeps it.</summary>
public sealed class ReminderPartitionTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void PartitionOf_KnownFnv1aVectors_MatchDaprd()
    {
        // fnv32a("foobar") = 0xbf9cf968 = 3214735720; fnv32a("alicegrace") % 64 = 5.
        Assert.Equal((int)(3214735720u % 7) + 1, ReminderKeys.PartitionOf("foo", "bar", 7));
        Assert.Equal((int)(3214735720u % 1000) + 1, ReminderKeys.PartitionOf("foo", "bar", 1000));
        Assert.Equal(6, ReminderKeys.PartitionOf("alice", "grace", 64));
        // The hash runs over actor id then name, byte after byte: the split point does not matter.
        Assert.Equal(ReminderKeys.PartitionOf("foo", "bar", 97), ReminderKeys.PartitionOf("fo", "obar", 97));
        Assert.Equal(0, ReminderKeys.PartitionOf("foo", "bar", 0));
        Assert.Equal(1, ReminderKeys.PartitionOf("foo", "bar", 1));
        var accented = new string('é', 300);
        Assert.InRange(ReminderKeys.PartitionOf(accented, accented, 5), 1, 5);
    }

    [Fact]
    public void Keys_DaprdLayout()
    {
        Assert.Equal("actors||Session", ReminderKeys.Unpartitioned("Session"));
        Assert.Equal("actors||Session||metadata", ReminderKeys.Metadata("Session"));
        Assert.Equal("actors||Session||abc-1||reminders||12", ReminderKeys.Partition("Session", "abc-1", 12));
    }

    [Fact]
    public void MetadataWrite_Partitioned_DaprdJson()
    {
        var bytes = new ReminderMetadata("abc-1", 4).Write();
        Assert.Equal("""{"id":"abc-1","actorRemindersMetadata":{"partitionCount":4}}""", Encoding.UTF8.GetString(bytes));
        Assert.Equal(new ReminderMetadata("abc-1", 4), ReminderMetadata.Parse(bytes, "k"));
    }

    [Fact]
    public void MetadataParse_DaprdUnpartitionedRecord_ZeroPartitions()
    {
        var parsed = ReminderMetadata.Parse("""{"id":"00000000-0000-0000-0000-000000000000","actorRemindersMetadata":{"partitionCount":0}}"""u8, "k");
        Assert.Equal(ReminderMetadata.Unpartitioned, parsed);
        Assert.Equal(0, ReminderMetadata.Parse("{}"u8, "k").PartitionCount);
    }

    [Theory]
    [InlineData("not json", "is not JSON")]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("""{"id":"a","actorRemindersMetadata":7}""", "actorRemindersMetadata must be an object")]
    [InlineData("""{"id":"a","actorRemindersMetadata":{"partitionCount":"4"}}""", "partitionCount must be an integer from 0 to 1000, got \"4\"")]
    [InlineData("""{"id":"a","actorRemindersMetadata":{"partitionCount":-1}}""", "got -1")]
    [InlineData("""{"id":"a","actorRemindersMetadata":{"partitionCount":2.5}}""", "got 2.5")]
    [InlineData("""{"id":"a","actorRemindersMetadata":{"partitionCount":5000}}""", "got 5000")]
    [InlineData("""{"actorRemindersMetadata":{"partitionCount":3}}""", "needs a non-empty string id")]
    [InlineData("""{"id":"a||b","actorRemindersMetadata":{"partitionCount":3}}""", "without '||'")]
    public void MetadataParse_Bad_FormatExceptionNamingTheKey(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ReminderMetadata.Parse(Encoding.UTF8.GetBytes(json), "actors||T||metadata"));
        Assert.Contains("actors||T||metadata", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData(-5, 0)]
    [InlineData(0, 0)]
    [InlineData(64, 64)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 1000)]
    [InlineData(int.MaxValue, 1000)]
    public void ClampPartitions_OutOfRange_ClampedToZeroThroughMax(int requested, int used) =>
        Assert.Equal(used, ReminderService.ClampPartitions(requested));

    [Fact]
    public async Task SaveAsync_Partitioned_WritesOnlyThePartitionOfTheReminder()
    {
        var store = new CountingStateStore();
        var state = new ReminderTypeState(new ReminderStore(store, "T", NullLogger.Instance));
        Assert.Empty((await state.EnsureLoadedAsync(8, default))!);
        var metadata = await ReadMetadataAsync(store);
        Assert.Equal(8, metadata.PartitionCount);
        store.Writes.Clear();

        for (var i = 0; i < 40; i++)
        {
            await state.UpdateAsync(new ActorKey("T", "user-" + i), "grace", Reminder("user-" + i, "grace"), default);
        }
        var partition = ReminderKeys.PartitionOf("user-7", "grace", 8);
        var key = ReminderKeys.Partition("T", metadata.Id, partition);
        store.Writes.Clear();

        await state.UpdateAsync(new ActorKey("T", "user-7"), "grace", null, default);

        Assert.Equal([key], store.Writes.Keys);
        Assert.Equal(1, store.Writes[key]);
        var stored = await ReadArrayAsync(store, key);
        Assert.DoesNotContain(stored, r => r.Actor.Id == "user-7");
        Assert.All(stored, r => Assert.Equal(partition, ReminderKeys.PartitionOf(r.Actor.Id, r.Name, 8)));
        Assert.Null(await store.GetAsync("actors||T", default));
    }

    [Fact]
    public async Task SaveAsync_Unpartitioned_OneArrayAsBefore()
    {
        var store = new CountingStateStore();
        var state = new ReminderTypeState(new ReminderStore(store, "T", NullLogger.Instance));
        await state.EnsureLoadedAsync(0, default);
        await state.UpdateAsync(new ActorKey("T", "a"), "r", Reminder("a", "r"), default);
        await state.UpdateAsync(new ActorKey("T", "b"), "r", Reminder("b", "r"), default);

        Assert.Equal(["actors||T"], store.Writes.Keys);
        Assert.Equal(2, (await ReadArrayAsync(store, "actors||T")).Count);
        Assert.Null(await store.GetAsync("actors||T||metadata", default));
    }

    [Fact]
    public async Task LoadAsync_UnpartitionedToFour_EveryReminderMovedAndOldArrayDeleted()
    {
        var store = new CountingStateStore();
        var before = new ReminderTypeState(new ReminderStore(store, "T", NullLogger.Instance));
        await before.EnsureLoadedAsync(0, default);
        for (var i = 0; i < 30; i++)
        {
            await before.UpdateAsync(new ActorKey("T", "u" + i), "r" + (i % 3), Reminder("u" + i, "r" + (i % 3)), default);
        }

        var loaded = await new ReminderStore(store, "T", NullLogger.Instance).LoadAsync(4, default);

        Assert.Equal(30, loaded.Count);
        var metadata = await ReadMetadataAsync(store);
        Assert.Equal(4, metadata.PartitionCount);
        var total = 0;
        for (var p = 1; p <= 4; p++)
        {
            var partition = await ReadArrayAsync(store, ReminderKeys.Partition("T", metadata.Id, p));
            Assert.All(partition, r => Assert.Equal(p, ReminderKeys.PartitionOf(r.Actor.Id, r.Name, 4)));
            total += partition.Count;
        }
        Assert.Equal(30, total);
        Assert.Null(await store.GetAsync("actors||T", default));
    }

    [Fact]
    public async Task LoadAsync_FourToNine_NewMetadataIdOldPartitionsDeleted()
    {
        var store = new CountingStateStore();
        var first = new ReminderTypeState(new ReminderStore(store, "T", NullLogger.Instance));
        await first.EnsureLoadedAsync(4, default);
        for (var i = 0; i < 20; i++)
        {
            await first.UpdateAsync(new ActorKey("T", "u" + i), "r", Reminder("u" + i, "r"), default);
        }
        var old = await ReadMetadataAsync(store);

        var loaded = await new ReminderStore(store, "T", NullLogger.Instance).LoadAsync(9, default);

        Assert.Equal(20, loaded.Count);
        var metadata = await ReadMetadataAsync(store);
        Assert.Equal(9, metadata.PartitionCount);
        Assert.NotEqual(old.Id, metadata.Id);
        for (var p = 1; p <= 4; p++)
        {
            Assert.Null(await store.GetAsync(ReminderKeys.Partition("T", old.Id, p), default));
        }
        var reloaded = await new ReminderStore(store, "T", NullLogger.Instance).LoadAsync(2, default);
        Assert.Equal(20, reloaded.Count); // asking for fewer keeps nine partitions (daprd never decreases)
        Assert.Equal(9, (await ReadMetadataAsync(store)).PartitionCount);
    }

    [Fact]
    public async Task LoadAsync_MigrationFails_LoadsTheOldLayoutIntactAndMigratesNextTime()
    {
        var store = new CountingStateStore();
        var before = new ReminderTypeState(new ReminderStore(store, "T", NullLogger.Instance));
        await before.EnsureLoadedAsync(0, default);
        await before.UpdateAsync(new ActorKey("T", "a"), "r", Reminder("a", "r"), default);
        store.FailNextTransaction = true;

        var state = new ReminderTypeState(new ReminderStore(store, "T", NullLogger.Instance));
        Assert.Single((await state.EnsureLoadedAsync(4, default))!);
        Assert.NotNull(state.Find(new ActorKey("T", "a"), "r"));
        Assert.Null(await store.GetAsync("actors||T||metadata", default));
        store.Writes.Clear();
        await state.UpdateAsync(new ActorKey("T", "b"), "r", Reminder("b", "r"), default);
        Assert.Equal(["actors||T"], store.Writes.Keys); // still the one list, with both reminders
        Assert.Equal(2, (await ReadArrayAsync(store, "actors||T")).Count);

        var restarted = new ReminderTypeState(new ReminderStore(store, "T", NullLogger.Instance));
        Assert.Equal(2, (await restarted.EnsureLoadedAsync(4, default))!.Count);
        Assert.Equal(4, (await ReadMetadataAsync(store)).PartitionCount);
        Assert.Null(await store.GetAsync("actors||T", default));
    }

    [Fact]
    public async Task EnsureLoadedAsync_MigrationWhileLoadedFails_KeepsServingTheOldLayout()
    {
        var store = new CountingStateStore();
        var state = new ReminderTypeState(new ReminderStore(store, "T", NullLogger.Instance));
        await state.EnsureLoadedAsync(0, default);
        await state.UpdateAsync(new ActorKey("T", "a"), "r", Reminder("a", "r"), default);
        store.FailNextTransaction = true;

        Assert.Null(await state.EnsureLoadedAsync(3, default));
        Assert.Null(await state.EnsureLoadedAsync(3, default)); // tried once per count: no second transaction

        Assert.False(store.FailNextTransaction);
        Assert.Null(await store.GetAsync("actors||T||metadata", default));
        await state.UpdateAsync(new ActorKey("T", "a"), "r", null, default);
        Assert.Empty(await ReadArrayAsync(store, "actors||T"));
    }

    [Fact]
    public async Task EnsureLoadedAsync_HostAsksForMoreWhileLoaded_MigratesTheRemindersInMemory()
    {
        var store = new CountingStateStore();
        var state = new ReminderTypeState(new ReminderStore(store, "T", NullLogger.Instance));
        await state.EnsureLoadedAsync(0, default);
        await state.UpdateAsync(new ActorKey("T", "a"), "r", Reminder("a", "r"), default);
        await state.UpdateAsync(new ActorKey("T", "b"), "r", Reminder("b", "r"), default);

        Assert.Null(await state.EnsureLoadedAsync(3, default));

        var metadata = await ReadMetadataAsync(store);
        Assert.Equal(3, metadata.PartitionCount);
        Assert.NotNull(state.Find(new ActorKey("T", "a"), "r"));
        Assert.NotNull(state.Find(new ActorKey("T", "b"), "r"));
        store.Writes.Clear();
        await state.UpdateAsync(new ActorKey("T", "b"), "r", null, default);
        Assert.Equal([ReminderKeys.Partition("T", metadata.Id, ReminderKeys.PartitionOf("b", "r", 3))], store.Writes.Keys);
    }

    [Theory]
    [InlineData("{\"not\":\"an array\"}", "are not a JSON array")]
    [InlineData("[{", "are not JSON")]
    [InlineData("[{\"actorID\":\"a\"}]", "is not readable")]
    public async Task LoadAsync_BadPartition_FormatExceptionNamingTheKey(string value, string expected)
    {
        var store = new CountingStateStore();
        await store.ApplyAsync(StateOperation.Upsert("actors||T||metadata", new ReminderMetadata("m1", 2).Write()), default);
        await store.ApplyAsync(StateOperation.Upsert("actors||T||m1||reminders||1", "[]"u8.ToArray()), default);
        await store.ApplyAsync(StateOperation.Upsert("actors||T||m1||reminders||2", Encoding.UTF8.GetBytes(value)), default);

        var error = await Assert.ThrowsAsync<FormatException>(() => new ReminderStore(store, "T", NullLogger.Instance).LoadAsync(2, default));
        Assert.Contains("actors||T||m1||reminders||2", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task LoadAsync_PartitionMissing_FormatExceptionNamingTheKey()
    {
        var store = new CountingStateStore();
        await store.ApplyAsync(StateOperation.Upsert("actors||T||metadata", new ReminderMetadata("m1", 2).Write()), default);
        await store.ApplyAsync(StateOperation.Upsert("actors||T||m1||reminders||1", "[]"u8.ToArray()), default);

        var error = await Assert.ThrowsAsync<FormatException>(() => new ReminderStore(store, "T", NullLogger.Instance).LoadAsync(2, default));
        Assert.Contains("actors||T||m1||reminders||2", error.Message);
        Assert.Contains("is missing", error.Message);
    }

    private static ActorReminder Reminder(string actorId, string name) =>
        new(new ActorKey("T", actorId), name, "{\"v\":1}", "1h", "", null, Now, null, Now.AddHours(1), -1);

    private static async Task<ReminderMetadata> ReadMetadataAsync(IStateStore store)
    {
        var entry = await store.GetAsync("actors||T||metadata", default);
        Assert.NotNull(entry);
        return ReminderMetadata.Parse(entry.Value, "actors||T||metadata");
    }

    private static async Task<List<ActorReminder>> ReadArrayAsync(IStateStore store, string key)
    {
        var entry = await store.GetAsync(key, default);
        Assert.NotNull(entry);
        using var document = JsonDocument.Parse(entry.Value);
        return document.RootElement.EnumerateArray().Select(ActorReminder.ReadStored).ToList();
    }
}
