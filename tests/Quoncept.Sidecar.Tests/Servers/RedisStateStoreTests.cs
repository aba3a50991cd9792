using System.Net;
using System.Text;
using Dapr;
using Dapr.Client;
using Quoncept.Sidecar.Tests.Functional;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Servers;

/// <summary>state.redis against a real redis-server, through the runtime's HTTP API and the official SDK.</summary>
public sealed class RedisStateStoreTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly string _appId = "app" + Guid.NewGuid().ToString("N")[..8];
    private TestSidecar _sidecar = null!;
    private DaprClient _dapr = null!;

    private HttpClient Client => _sidecar.Client;

    public async Task InitializeAsync()
    {
        _sidecar = await TestSidecar.StartAsync(_appId, components: RedisFixture.StateComponent(redis.Server.Host));
        _dapr = SdkClients.Dapr(_sidecar.Runtime.Apps.All[0]);
    }

    public async Task DisposeAsync()
    {
        _dapr.Dispose();
        await _sidecar.DisposeAsync();
    }

    [Fact]
    public async Task Save_KeyLaidOutAsDaprd_HashOfDataAndVersion()
    {
        await _dapr.SaveStateAsync("statestore", "hp", new { hp = 3 });
        await _dapr.SaveStateAsync("statestore", "hp", new { hp = 4 });

        var hash = await redis.Server.CommandAsync("HGETALL", $"{_appId}||hp");
        Assert.Contains("data\r\n$8\r\n{\"hp\":4}\r\n", hash);
        Assert.Contains("version\r\n$1\r\n2\r\n", hash);
        var (value, etag) = await _dapr.GetStateAndETagAsync<Dictionary<string, int>>("statestore", "hp");
        Assert.Equal(4, value["hp"]);
        Assert.Equal("2", etag);
    }

    [Fact]
    public async Task ValueWrittenAsDaprdWritesIt_ReadBack()
    {
        await redis.Server.CommandAsync("HSET", $"{_appId}||moved", "data", "\"from daprd\"", "version", "7");

        var (value, etag) = await _dapr.GetStateAndETagAsync<string>("statestore", "moved");
        Assert.Equal("from daprd", value);
        Assert.Equal("7", etag);
        Assert.True(await _dapr.TrySaveStateAsync("statestore", "moved", "updated", "7"));
        Assert.Contains("version\r\n$1\r\n8\r\n", await redis.Server.CommandAsync("HGETALL", $"{_appId}||moved"));
    }

    [Fact]
    public async Task Get_KeyOfTheWrongType_ClearErrorAndTheStoreServesOn()
    {
        // Something else wrote a plain string where daprd's layout has a hash of data and version.
        await redis.Server.CommandAsync("SET", $"{_appId}||plain", "not a hash");

        var error = await Assert.ThrowsAsync<Dapr.DaprException>(() => _dapr.GetStateAsync<string>("statestore", "plain"));
        Assert.Contains("holds a string, not a Dapr state hash (fields data and version); remove or rename that key", error.InnerException?.Message ?? error.Message, StringComparison.Ordinal);
        var save = await Assert.ThrowsAsync<Dapr.DaprException>(() => _dapr.SaveStateAsync("statestore", "plain", "v"));
        Assert.Contains("holds a string, not a Dapr state hash", save.InnerException?.Message ?? save.Message, StringComparison.Ordinal);

        await _dapr.SaveStateAsync("statestore", "fine", "still served");
        Assert.Equal("still served", await _dapr.GetStateAsync<string>("statestore", "fine"));
    }

    [Fact]
    public async Task Save_StaleETag_RefusedAndValueKept()
    {
        await _dapr.SaveStateAsync("statestore", "k", "one");
        var (_, etag) = await _dapr.GetStateAndETagAsync<string>("statestore", "k");
        await _dapr.SaveStateAsync("statestore", "k", "two");

        Assert.False(await _dapr.TrySaveStateAsync("statestore", "k", "three", etag));
        Assert.False(await _dapr.TryDeleteStateAsync("statestore", "k", etag));
        Assert.Equal("two", await _dapr.GetStateAsync<string>("statestore", "k"));
    }

    [Fact]
    public async Task Save_ETagNotANumber_Returns400Invalid()
    {
        await _dapr.SaveStateAsync("statestore", "n", 1);
        var response = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"n","value":2,"etag":"not-a-version"}]"""));
        await StateApiTests.AssertError(response, HttpStatusCode.BadRequest, "ERR_STATE_ETAG_INVALID");
    }

    [Fact]
    public async Task FirstWrite_KeyPresent_Returns409()
    {
        var first = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"fw","value":1,"options":{"concurrency":"first-write"}}]"""));
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        var second = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"fw","value":2,"options":{"concurrency":"first-write"}}]"""));
        await StateApiTests.AssertError(second, HttpStatusCode.Conflict, "ERR_STATE_ETAG_MISMATCH");
        var lastWrite = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"fw","value":3}]"""));
        Assert.Equal(HttpStatusCode.NoContent, lastWrite.StatusCode);
    }

    [Fact]
    public async Task Transaction_OneStaleETag_NothingApplied()
    {
        await _dapr.SaveStateAsync("statestore", "a", "a0");
        await _dapr.SaveStateAsync("statestore", "b", "b0");
        await _dapr.SaveStateAsync("statestore", "c", "c0");

        var error = await Assert.ThrowsAnyAsync<DaprException>(() => _dapr.ExecuteStateTransactionAsync("statestore",
        [
            new StateTransactionRequest("a", Encoding.UTF8.GetBytes("\"a1\""), StateOperationType.Upsert),
            new StateTransactionRequest("c", null, StateOperationType.Delete),
            new StateTransactionRequest("b", Encoding.UTF8.GetBytes("\"b1\""), StateOperationType.Upsert, etag: "99"),
        ]));

        Assert.Contains("etag", error.InnerException?.Message ?? error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("a0", await _dapr.GetStateAsync<string>("statestore", "a"));
        Assert.Equal("c0", await _dapr.GetStateAsync<string>("statestore", "c"));
    }

    [Fact]
    public async Task Transaction_UpsertsAndDeletes_AppliedInOrder()
    {
        await _dapr.SaveStateAsync("statestore", "gone", 1);
        var (_, etag) = await _dapr.GetStateAndETagAsync<int>("statestore", "gone");

        await _dapr.ExecuteStateTransactionAsync("statestore",
        [
            new StateTransactionRequest("gone", null, StateOperationType.Delete, etag: etag),
            new StateTransactionRequest("x", Encoding.UTF8.GetBytes("1"), StateOperationType.Upsert),
            new StateTransactionRequest("x", Encoding.UTF8.GetBytes("2"), StateOperationType.Upsert, etag: "1"),
        ]);

        Assert.Equal(0, await _dapr.GetStateAsync<int>("statestore", "gone"));
        var (x, xEtag) = await _dapr.GetStateAndETagAsync<int>("statestore", "x");
        Assert.Equal((2, "2"), (x, xEtag));
    }

    [Fact]
    public async Task BulkGet_ValuesInOrder_MissingKeysEmpty()
    {
        await _dapr.SaveStateAsync("statestore", "b1", "one");
        await _dapr.SaveStateAsync("statestore", "b3", "three");

        var items = await _dapr.GetBulkStateAsync("statestore", ["b1", "b2", "b3"], parallelism: 1);

        var byKey = items.ToDictionary(i => i.Key);
        Assert.Equal("\"one\"", byKey["b1"].Value);
        Assert.Equal("", byKey["b2"].Value);
        Assert.Equal("\"three\"", byKey["b3"].Value);
        Assert.Equal("1", byKey["b3"].ETag);
    }

    [Fact]
    public async Task Save_TtlInSeconds_KeyExpiresInRedis()
    {
        await _dapr.SaveStateAsync("statestore", "short", "lived", metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "100" });
        var ttl = await redis.Server.CommandAsync("PTTL", $"{_appId}||short");
        var millis = long.Parse(ttl.TrimStart(':').Trim());
        Assert.InRange(millis, 90_000, 100_000);

        await _dapr.SaveStateAsync("statestore", "short", "forever");
        Assert.Equal(":-1\r\n", await redis.Server.CommandAsync("PTTL", $"{_appId}||short"));
    }

    [Fact]
    public async Task Get_KeyOfAnotherRedisType_500NamingTheType()
    {
        await redis.Server.CommandAsync("RPUSH", $"{_appId}||listed", "x");

        var get = await Client.GetAsync("v1.0/state/statestore/listed");
        var body = await get.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, get.StatusCode);
        Assert.Contains("ERR_STATE_GET", body);
        Assert.Contains("holds a list", body);

        var save = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"listed","value":1}]"""));
        Assert.Contains("holds a list", await save.Content.ReadAsStringAsync());
        Assert.Equal(":1\r\n", await redis.Server.CommandAsync("LLEN", $"{_appId}||listed"));
    }

    [Theory]
    [InlineData("name", "statestore||")]
    [InlineData("none", "")]
    [InlineData("shared-{0}", "shared-{0}||")]
    public async Task KeyPrefix_Component_KeysLaidOutAsDaprd(string keyPrefix, string expected)
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var extra = $"""
                - name: keyPrefix
                  value: "{string.Format(keyPrefix, unique)}"
            """;
        await using var sidecar = await TestSidecar.StartAsync("prefixed", components: RedisFixture.StateComponent(redis.Server.Host, extra));
        var key = "pk" + unique;

        var save = await sidecar.Client.PostAsync("v1.0/state/statestore", Json($$"""[{"key":"{{key}}","value":5}]"""));
        Assert.Equal(HttpStatusCode.NoContent, save.StatusCode);

        Assert.Equal("$1\r\n5\r\n", await redis.Server.CommandAsync("HGET", string.Format(expected, unique) + key, "data"));
        Assert.Equal("5", await (await sidecar.Client.GetAsync($"v1.0/state/statestore/{key}")).Content.ReadAsStringAsync());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
