using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Quoncept.Dapr.Actors;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Actors.Runtime;
using Quoncept.Dapr.Testing;

namespace Quoncept.Dapr.Tests.Actors;

public sealed class ActorStateManagerTests
{
    private readonly RecordingStateProvider _store = new();
    private readonly ActorStateManager _state;

    public ActorStateManagerTests()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var host = new ActorHost("T", new ActorId("1"), json, NullLoggerFactory.Instance, new ActorProxyFactory(), _store, new NoTimers());
        _state = new ActorStateManager(host);
    }

    private static string Describe(IEnumerable<ActorStateChange> changes) =>
        string.Join(";", changes.Select(c => c.IsDelete ? $"-{c.StateName}" : $"+{c.StateName}={Encoding.UTF8.GetString(c.Value!)}"));

    [Fact]
    public async Task Save_NoChanges_NoTransaction()
    {
        _store.Values["a"] = "1"u8.ToArray();
        Assert.Equal(1, await _state.GetStateAsync<int>("a"));
        await _state.SaveStateAsync();
        Assert.Empty(_store.Transactions);
    }

    [Fact]
    public async Task Save_SetAndRemove_OneTransactionWithUpsertsAndDeletes()
    {
        _store.Values["gone"] = "\"x\""u8.ToArray();
        await _state.SetStateAsync("a", 1);
        await _state.SetStateAsync("b", new { Name = "n" });
        await _state.RemoveStateAsync("gone");
        await _state.SaveStateAsync();
        Assert.Equal("+a=1;+b={\"name\":\"n\"};-gone", Describe(Assert.Single(_store.Transactions)));
    }

    [Fact]
    public async Task Save_AddThenRemoveNeverSaved_NothingSent()
    {
        await _state.AddStateAsync("a", 1);
        await _state.RemoveStateAsync("a");
        await _state.SaveStateAsync();
        Assert.Empty(_store.Transactions);
        Assert.False(await _state.ContainsStateAsync("a"));
    }

    [Fact]
    public async Task Save_RemoveThenAdd_BecomesUpsert()
    {
        _store.Values["a"] = "1"u8.ToArray();
        await _state.RemoveStateAsync("a");
        await _state.AddStateAsync("a", 2);
        await _state.SaveStateAsync();
        Assert.Equal("+a=2", Describe(Assert.Single(_store.Transactions)));
    }

    [Fact]
    public async Task Save_Twice_SecondSendsOnlyNewChanges()
    {
        await _state.SetStateAsync("a", 1);
        await _state.SaveStateAsync();
        await _state.SetStateAsync("b", 2);
        await _state.SaveStateAsync();
        Assert.Equal(["+a=1", "+b=2"], _store.Transactions.Select(Describe));
    }

    [Fact]
    public async Task Add_Existing_Throws()
    {
        _store.Values["a"] = "1"u8.ToArray();
        await Assert.ThrowsAsync<InvalidOperationException>(() => _state.AddStateAsync("a", 2));
        Assert.False(await _state.TryAddStateAsync("a", 2));
    }

    [Fact]
    public async Task Get_Missing_ThrowsKeyNotFound_TryGetHasNoValue()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _state.GetStateAsync<int>("nope"));
        Assert.False((await _state.TryGetStateAsync<int>("nope")).HasValue);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _state.RemoveStateAsync("nope"));
        Assert.False(await _state.TryRemoveStateAsync("nope"));
    }

    [Fact]
    public async Task Get_LoadsOnceThenCached()
    {
        _store.Values["a"] = "5"u8.ToArray();
        Assert.Equal(5, await _state.GetStateAsync<int>("a"));
        Assert.Equal(5, await _state.GetStateAsync<int>("a"));
        Assert.Equal(1, _store.Loads);
    }

    [Fact]
    public async Task ClearCache_DropsUnsavedChanges()
    {
        _store.Values["a"] = "1"u8.ToArray();
        await _state.SetStateAsync("a", 9);
        await _state.ClearCacheAsync();
        Assert.Equal(1, await _state.GetStateAsync<int>("a"));
        await _state.SaveStateAsync();
        Assert.Empty(_store.Transactions);
    }

    [Fact]
    public async Task AddOrUpdate_AppliesFactoryToExisting()
    {
        Assert.Equal(1, await _state.AddOrUpdateStateAsync("a", 1, (_, v) => v + 1));
        Assert.Equal(2, await _state.AddOrUpdateStateAsync("a", 1, (_, v) => v + 1));
        Assert.Equal(2, await _state.GetOrAddStateAsync("a", 100));
    }

    [Fact]
    public async Task Get_DifferentTypeThanSet_ConvertsThroughJson()
    {
        await _state.SetStateAsync("a", new Dictionary<string, int> { ["x"] = 1 });
        var element = await _state.GetStateAsync<JsonElement>("a");
        Assert.Equal(1, element.GetProperty("x").GetInt32());
    }

    private sealed class RecordingStateProvider : IActorStateProvider
    {
        public Dictionary<string, byte[]> Values { get; } = [];
        public List<IReadOnlyList<ActorStateChange>> Transactions { get; } = [];
        public int Loads { get; private set; }

        public Task<byte[]?> TryLoadStateAsync(string actorType, string actorId, string stateName, CancellationToken cancellationToken)
        {
            Loads++;
            return Task.FromResult(Values.TryGetValue(stateName, out var v) ? v : null);
        }

        public Task SaveStateAsync(string actorType, string actorId, IReadOnlyList<ActorStateChange> changes, CancellationToken cancellationToken)
        {
            Transactions.Add(changes);
            foreach (var c in changes)
            {
                if (c.IsDelete)
                {
                    Values.Remove(c.StateName);
                }
                else
                {
                    Values[c.StateName] = c.Value!;
                }
            }

            return Task.CompletedTask;
        }
    }

    private sealed class NoTimers : IActorTimerManager
    {
        public Task RegisterReminderAsync(ActorReminder reminder, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IActorReminder?> GetReminderAsync(string actorType, ActorId actorId, string name, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task UnregisterReminderAsync(string actorType, ActorId actorId, string name, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task RegisterTimerAsync(ActorTimer timer, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task UnregisterTimerAsync(string actorType, ActorId actorId, string name, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
