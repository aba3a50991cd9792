using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.Tests.Harness;
using Quoncept.Sidecar.Tests.Harness.Servers;

namespace Quoncept.Sidecar.Tests.Servers;

/// <summary>state.redis when Redis is wrong or goes away: start-up errors that name the field, kill -9 and restart.</summary>
public sealed class RedisFailureTests
{
    [Fact]
    public async Task Build_WrongPassword_ErrorNamesRedisPassword()
    {
        await using var server = await RedisServer.StartAsync(password: "right-one");

        var error = Assert.Throws<ComponentLoadException>(() => Build(Component("state.redis",
            ("redisHost", server.Host), ("redisPassword", "wrong-one"))));

        Assert.Contains("component statestore (state.redis): metadata field 'redisPassword'", error.Message);
        Assert.Contains("refused", error.Message);
    }

    [Fact]
    public async Task Build_RightPassword_Connects()
    {
        await using var server = await RedisServer.StartAsync(password: "right-one");
        await using var registry = Build(Component("state.redis", ("redisHost", server.Host), ("redisPassword", "right-one")));
        Assert.Single(registry.StateStores);
    }

    [Fact]
    public void Build_NothingListening_ErrorNamesRedisHost()
    {
        var port = Quoncept.Sidecar.Runner.FreePort.Next();
        var error = Assert.Throws<ComponentLoadException>(() => Build(Component("state.redis",
            ("redisHost", $"127.0.0.1:{port}"), ("dialTimeout", "1s"))));
        Assert.Contains($"metadata field 'redisHost' '127.0.0.1:{port}': cannot connect to Redis", error.Message);
    }

    [Fact]
    public async Task Build_NothingListeningWithIgnoreErrors_ComponentSkipped()
    {
        var port = Quoncept.Sidecar.Runner.FreePort.Next();
        await using var registry = Build(Component("state.redis", ("redisHost", $"127.0.0.1:{port}"), ("dialTimeout", "1s"), ("__ignoreErrors", "true")));
        Assert.Empty(registry.StateStores);
    }

    [Theory]
    [InlineData("redisHots", "is not a state.redis field. Did you mean 'redisHost'?")]
    [InlineData("sentinelMasterName", "is a state.redis field this runtime does not support: Redis Sentinel")]
    [InlineData("poolSize", "is a state.redis field this runtime does not support: StackExchange.Redis multiplexes")]
    [InlineData("queryIndexes", "is a state.redis field this runtime does not support: the state query API (RediSearch) is not implemented")]
    public void Build_FieldNotImplemented_RefusedNamingIt(string field, string expected)
    {
        var error = Assert.Throws<ComponentLoadException>(() => Build(Component("state.redis", ("redisHost", "127.0.0.1:1"), (field, "x"))));
        Assert.Contains($"metadata field '{field}' {expected}", error.Message);
    }

    [Theory]
    [InlineData("redisDB", "16", "is not a whole number from 0 to 15")]
    [InlineData("enableTLS", "yes", "'yes' is not true or false")]
    [InlineData("ttlInSeconds", "soon", "'soon' is not a whole number")]
    [InlineData("dialTimeout", "fast", "is not a duration")]
    [InlineData("redisType", "cluster", "'cluster' is not supported")]
    public void Build_BadValue_RefusedNamingField(string field, string value, string expected)
    {
        var error = Assert.Throws<ComponentLoadException>(() => Build(Component("state.redis", ("redisHost", "127.0.0.1:1"), (field, value))));
        Assert.Contains($"metadata field '{field}'", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Build_NoRedisHost_RefusedNamingIt()
    {
        var error = Assert.Throws<ComponentLoadException>(() => Build(Component("state.redis")));
        Assert.Contains("metadata field 'redisHost' is required", error.Message);
    }

    [Fact]
    public async Task RedisKilledAndRestarted_CallsFailFast_ThenReconnect_NoAcknowledgedWriteLost()
    {
        await using var server = await RedisServer.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("app", components: RedisFixture.StateComponent(server.Host));
        var acknowledged = new List<int>();
        for (var i = 0; i < 50; i++)
        {
            var save = await sidecar.Client.PostAsync("v1.0/state/statestore", Json($$"""[{"key":"k{{i}}","value":{{i}}}]"""));
            Assert.Equal(HttpStatusCode.NoContent, save.StatusCode);
            acknowledged.Add(i);
        }

        // Writes race the kill: whatever was answered 204 must be there after the restart.
        using var writing = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 50; !writing.IsCancellationRequested; i++)
            {
                var save = await sidecar.Client.PostAsync("v1.0/state/statestore", Json($$"""[{"key":"k{{i}}","value":{{i}}}]"""));
                if (save.StatusCode == HttpStatusCode.NoContent)
                {
                    lock (acknowledged)
                    {
                        acknowledged.Add(i);
                    }
                }
            }
        });
        await Task.Delay(200);
        server.Kill();
        await Task.Delay(100);
        await writing.CancelAsync();
        await writer;

        var clock = Stopwatch.StartNew();
        var down = await sidecar.Client.GetAsync("v1.0/state/statestore/k1");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"a call with Redis down took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.InternalServerError, down.StatusCode);
        Assert.Contains("ERR_STATE_GET", await down.Content.ReadAsStringAsync());

        await server.RestartAsync();
        var back = Stopwatch.StartNew();
        HttpResponseMessage? answer = null;
        while (back.Elapsed < TimeSpan.FromSeconds(30))
        {
            answer = await sidecar.Client.GetAsync("v1.0/state/statestore/k1");
            if (answer.StatusCode == HttpStatusCode.OK)
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal(HttpStatusCode.OK, answer!.StatusCode);

        int[] expected;
        lock (acknowledged)
        {
            expected = [.. acknowledged];
        }
        Assert.True(expected.Length > 50, "the writer got no write in before the kill");
        foreach (var i in expected)
        {
            var get = await sidecar.Client.GetAsync($"v1.0/state/statestore/k{i}");
            Assert.True(get.StatusCode == HttpStatusCode.OK, $"acknowledged write k{i} lost after kill -9 ({get.StatusCode})");
            Assert.Equal(i.ToString(), await get.Content.ReadAsStringAsync());
        }
    }

    internal static ComponentDefinition Component(string type, params (string Name, string Value)[] metadata) =>
        new("statestore", type, "v1", metadata.ToDictionary(m => m.Name, m => m.Value), [], "components/test.yaml");

    internal static ComponentRegistry Build(params ComponentDefinition[] definitions) =>
        ComponentFactory.Build(definitions, new ComponentContext(TimeProvider.System, NullLoggerFactory.Instance));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
