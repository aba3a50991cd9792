using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quoncept.Sidecar.Actors.Reminders;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Tests.Actors;

/// <summary>
/// Partitioned reminders end to end: a host app answering <c>"remindersStoragePartitions": N</c> in
/// <c>GET /dapr/config</c>, the real runtime, and a SQLite actor state store that outlives it.
/// </summary>
public sealed class ActorReminderPartitionTests : IAsyncLifetime
{
    private const int Partitions = 8;

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"actors-reminder-partitions-{Guid.NewGuid():N}.db");
    private TestActorApp _host = null!;
    private ActorSidecarHarness? _sidecar;

    public async Task InitializeAsync() =>
        _host = await TestActorApp.StartAsync("hostapp", PartitionedConfig(Partitions));

    public async Task DisposeAsync()
    {
        if (_sidecar is not null)
        {
            await _sidecar.DisposeAsync();
        }
        await _host.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_database)!, Path.GetFileName(_database) + "*"))
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Reminder_PartitionedType_ChangeWritesOnlyItsPartitionKey()
    {
        await StartSidecarAsync();
        using var client = _sidecar!.Client(0);
        for (var i = 0; i < 20; i++)
        {
            await CreateAsync(client, "user-" + i, "grace", "1h");
        }
        var metadata = await WaitForMetadataAsync();
        Assert.Equal(Partitions, metadata.PartitionCount);
        var before = await ETagsAsync(metadata);

        await CreateAsync(client, "newcomer", "grace", "1h");
        var afterCreate = await ETagsAsync(metadata);
        using (var deleted = await client.DeleteAsync("v1.0/actors/Session/user-3/reminders/grace"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        var afterDelete = await ETagsAsync(metadata);

        var newcomerKey = ReminderKeys.Partition("Session", metadata.Id, ReminderKeys.PartitionOf("newcomer", "grace", Partitions));
        Assert.Equal([newcomerKey], Changed(before, afterCreate));
        var user3Key = ReminderKeys.Partition("Session", metadata.Id, ReminderKeys.PartitionOf("user-3", "grace", Partitions));
        Assert.Equal([user3Key], Changed(afterCreate, afterDelete));
        Assert.Contains(await ReadPartitionAsync(newcomerKey), r => r.Actor.Id == "newcomer");
        Assert.DoesNotContain(await ReadPartitionAsync(user3Key), r => r.Actor.Id == "user-3");
        Assert.Null(await Store.GetAsync("actors||Session", default));
    }

    [Fact]
    public async Task Reminder_PartitionedType_SurvivesRuntimeRestartAndFires()
    {
        await StartSidecarAsync();
        using (var client = _sidecar!.Client(0))
        {
            await CreateAsync(client, "erin", "persisted", "2s", period: "1s", data: """{"v":1}""");
            await CreateAsync(client, "frank", "once", "2s");
        }
        var metadata = await WaitForMetadataAsync();
        await RestartSidecarAsync();

        var fired = await _host.WaitForAsync(c => c.Kind == "remind" && c.Id == "erin" && c.Name == "persisted", TimeSpan.FromSeconds(10));
        using var body = JsonDocument.Parse(fired.Body);
        Assert.Equal(1, body.RootElement.GetProperty("data").GetProperty("v").GetInt32());
        await _host.WaitForAsync(c => c.Kind == "remind" && c.Id == "frank" && c.Name == "once", TimeSpan.FromSeconds(10));
        Assert.Equal(metadata, await WaitForMetadataAsync());
        var erinKey = ReminderKeys.Partition("Session", metadata.Id, ReminderKeys.PartitionOf("erin", "persisted", Partitions));
        await ActorInvocationTests.WaitUntil(() => _host.CallsOf("remind").Count(c => c.Id == "erin") >= 2, 8000);
        Assert.Contains(await ReadPartitionAsync(erinKey), r => r.Actor.Id == "erin" && r.Name == "persisted");
    }

    [Fact]
    public async Task Reminder_UnpartitionedThenPartitionedConfig_MigratesEveryReminderAndTheyFire()
    {
        _host.Config = TestActorApp.ConfigFor("Session");
        await StartSidecarAsync();
        var ids = Enumerable.Range(0, 25).Select(i => "mover-" + i).ToList();
        using (var client = _sidecar!.Client(0))
        {
            foreach (var id in ids)
            {
                await CreateAsync(client, id, "grace", "3s", data: $"\"{id}\"");
            }
        }
        var unpartitioned = await ReadPartitionAsync("actors||Session");
        Assert.Equal(25, unpartitioned.Count);
        Assert.Null(await Store.GetAsync("actors||Session||metadata", default));
        await _sidecar.DisposeAsync();
        _sidecar = null;
        Assert.Empty(_host.CallsOf("remind"));

        _host.Config = PartitionedConfig(Partitions);
        await StartSidecarAsync();
        var metadata = await WaitForMetadataAsync();

        Assert.Equal(Partitions, metadata.PartitionCount);
        var moved = new List<ActorReminder>();
        for (var p = 1; p <= Partitions; p++)
        {
            var partition = await ReadPartitionAsync(ReminderKeys.Partition("Session", metadata.Id, p));
            Assert.All(partition, r => Assert.Equal(p, ReminderKeys.PartitionOf(r.Actor.Id, r.Name, Partitions)));
            moved.AddRange(partition);
        }
        Assert.Equal(ids.Order(), moved.Select(r => r.Actor.Id).Order());
        Assert.Null(await Store.GetAsync("actors||Session", default));
        await ActorInvocationTests.WaitUntil(() => ids.All(id => _host.CallsOf("remind").Any(c => c.Id == id && c.Body.Contains(id))), 10000);
    }

    [Fact]
    public async Task Reminder_StoredMetadataNotJson_500NamingTheKeyAndRuntimeServes()
    {
        await StartSidecarAsync();
        await WaitForMetadataAsync();
        await Store.ApplyAsync(StateOperation.Upsert("actors||Session||metadata", "{oops"u8.ToArray()), default);
        await RestartSidecarAsync();

        using var client = _sidecar!.Client(0);
        using var get = await client.GetAsync("v1.0/actors/Session/anyone/reminders/grace");
        Assert.Equal(HttpStatusCode.InternalServerError, get.StatusCode);
        var error = await get.Content.ReadAsStringAsync();
        Assert.Contains("actors||Session||metadata", error);
        Assert.Contains("is not JSON", error);
        // The runtime still serves everything else.
        using var echo = await client.PostAsync("v1.0/actors/Session/anyone/method/echo", new StringContent("\"hi\"", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
    }

    private IStateStore Store =>
        _sidecar!.Runtime.App.Services.GetRequiredService<ComponentRegistry>().FindActorStateStore("hostapp")!;

    private static string PartitionedConfig(int partitions) =>
        JsonSerializer.Serialize(new { entities = new[] { "Session" }, remindersStoragePartitions = partitions });

    private async Task StartSidecarAsync()
    {
        _sidecar = await ActorSidecarHarness.StartAsync([_host], _database);
        await _sidecar.WaitForHostsAsync("Session", 1);
    }

    private async Task RestartSidecarAsync()
    {
        await _sidecar!.DisposeAsync();
        _sidecar = null;
        await StartSidecarAsync();
    }

    private static async Task CreateAsync(HttpClient client, string actorId, string name, string dueTime, string period = "", string data = "null")
    {
        using var created = await client.PostAsync($"v1.0/actors/Session/{actorId}/reminders/{name}", new StringContent(
            $"{{\"dueTime\":\"{dueTime}\",\"period\":\"{period}\",\"data\":{data}}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
    }

    /// <summary>The metadata record, once the reminders of the joining host's type are loaded (and moved).</summary>
    private async Task<ReminderMetadata> WaitForMetadataAsync()
    {
        StateEntry? entry = null;
        await ActorInvocationTests.WaitUntil(() => (entry = Store.GetAsync("actors||Session||metadata", default).AsTask().GetAwaiter().GetResult()) is not null);
        return ReminderMetadata.Parse(entry!.Value, "actors||Session||metadata");
    }

    private async Task<Dictionary<string, string?>> ETagsAsync(ReminderMetadata metadata)
    {
        var keys = Enumerable.Range(1, metadata.PartitionCount).Select(p => ReminderKeys.Partition("Session", metadata.Id, p))
            .Append("actors||Session||metadata").Append("actors||Session").ToList();
        var entries = await Store.GetBulkAsync(keys, default);
        return keys.Zip(entries, (k, e) => (k, e?.ETag)).ToDictionary(p => p.k, p => p.Item2);
    }

    private static List<string> Changed(Dictionary<string, string?> before, Dictionary<string, string?> after) =>
        before.Keys.Where(k => before[k] != after[k]).ToList();

    private async Task<List<ActorReminder>> ReadPartitionAsync(string key)
    {
        var entry = await Store.GetAsync(key, default);
        Assert.NotNull(entry);
        using var document = JsonDocument.Parse(entry.Value);
        return document.RootElement.EnumerateArray().Select(ActorReminder.ReadStored).ToList();
    }
}
