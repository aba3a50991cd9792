using System.Diagnostics;
using System.Net;
using System.Text;
using Dapr;
using Dapr.Client;
using Npgsql;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.Tests.Functional;
using Quoncept.Sidecar.Tests.Harness;
using Quoncept.Sidecar.Tests.Harness.Servers;

namespace Quoncept.Sidecar.Tests.Servers;

/// <summary>One real PostgreSQL shared by a test class; tests use tables of their own.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    internal PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    internal static string StateComponent(string connectionString, string table) => $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: statestore
        spec:
          type: state.postgresql
          version: v1
          metadata:
            - name: connectionString
              value: "{connectionString}"
            - name: tableName
              value: "{table}"
            - name: actorStateStore
              value: "true"
        """;
}

/// <summary>state.postgresql (v1 layout) against a real PostgreSQL, through the runtime's HTTP API and the official SDK.</summary>
public sealed class PostgresStateStoreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly string _table = "state_" + Guid.NewGuid().ToString("N")[..8];
    private TestSidecar _sidecar = null!;
    private DaprClient _dapr = null!;

    private HttpClient Client => _sidecar.Client;

    public async Task InitializeAsync()
    {
        _sidecar = await TestSidecar.StartAsync("app", components: PostgresFixture.StateComponent(postgres.Server.ConnectionString, _table));
        _dapr = SdkClients.Dapr(_sidecar.Runtime.Apps.All[0]);
    }

    public async Task DisposeAsync()
    {
        _dapr.Dispose();
        await _sidecar.DisposeAsync();
    }

    [Fact]
    public async Task Save_RowLaidOutAsDaprd_JsonbValueAndXminETag()
    {
        await _dapr.SaveStateAsync("statestore", "hp", new { hp = 3 });

        var (value, isBinary, xmin) = await RowAsync("app||hp");
        Assert.Equal("""{"hp": 3}""", value);
        Assert.False(isBinary);
        var (read, etag) = await _dapr.GetStateAndETagAsync<Dictionary<string, int>>("statestore", "hp");
        Assert.Equal(3, read["hp"]);
        Assert.Equal(xmin, etag);
    }

    [Fact]
    public async Task SaveBytes_NotJson_StoredAsBase64BinaryAndReadBack()
    {
        await _dapr.SaveByteStateAsync("statestore", "blob", new byte[] { 0, 1, 2, 255 });

        var (value, isBinary, _) = await RowAsync("app||blob");
        Assert.True(isBinary);
        Assert.Equal("\"AAEC/w==\"", value);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, (await _dapr.GetByteStateAsync("statestore", "blob")).ToArray());
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
        var invalid = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"k","value":2,"etag":"not-a-version"}]"""));
        await StateApiTests.AssertError(invalid, HttpStatusCode.BadRequest, "ERR_STATE_ETAG_INVALID");
    }

    [Fact]
    public async Task FirstWrite_KeyPresent_Returns409()
    {
        var first = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"fw","value":1,"options":{"concurrency":"first-write"}}]"""));
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        var second = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"fw","value":2,"options":{"concurrency":"first-write"}}]"""));
        await StateApiTests.AssertError(second, HttpStatusCode.Conflict, "ERR_STATE_ETAG_MISMATCH");
    }

    [Fact]
    public async Task Transaction_OneStaleETag_NothingApplied()
    {
        await _dapr.SaveStateAsync("statestore", "a", "a0");
        await _dapr.SaveStateAsync("statestore", "c", "c0");

        await Assert.ThrowsAnyAsync<DaprException>(() => _dapr.ExecuteStateTransactionAsync("statestore",
        [
            new StateTransactionRequest("a", Encoding.UTF8.GetBytes("\"a1\""), StateOperationType.Upsert),
            new StateTransactionRequest("c", null, StateOperationType.Delete),
            new StateTransactionRequest("b", Encoding.UTF8.GetBytes("\"b1\""), StateOperationType.Upsert, etag: "12345"),
        ]));

        Assert.Equal("a0", await _dapr.GetStateAsync<string>("statestore", "a"));
        Assert.Equal("c0", await _dapr.GetStateAsync<string>("statestore", "c"));
        Assert.Null(await _dapr.GetStateAsync<string>("statestore", "b"));
    }

    [Fact]
    public async Task BulkGetAndTtl_ExpiredRowsAbsent()
    {
        await _dapr.SaveStateAsync("statestore", "b1", "one");
        await _dapr.SaveStateAsync("statestore", "brief", "gone soon", metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "1" });

        var before = (await _dapr.GetBulkStateAsync("statestore", ["b1", "brief", "b2"], 1)).ToDictionary(i => i.Key);
        Assert.Equal("\"one\"", before["b1"].Value);
        Assert.Equal("\"gone soon\"", before["brief"].Value);
        Assert.Equal("", before["b2"].Value);

        await Task.Delay(1500);
        Assert.Null(await _dapr.GetStateAsync<string>("statestore", "brief"));
    }

    [Theory]
    [InlineData("tableName", "state; DROP TABLE x", "may hold only letters")]
    [InlineData("useAzureAD", "true", "Azure AD authentication is not supported")]
    [InlineData("connectionString", "host=127.0.0.1 colour=blue", "keyword 'colour' is not supported")]
    public void Build_BadField_RefusedNamingIt(string field, string value, string expected)
    {
        var metadata = new List<(string, string)> { (field, value) };
        if (field != "connectionString")
        {
            metadata.Add(("connectionString", postgres.Server.ConnectionString));
        }
        var error = Assert.Throws<ComponentLoadException>(() => RedisFailureTests.Build(RedisFailureTests.Component("state.postgresql", [.. metadata])));
        Assert.Contains($"metadata field '{field}'", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Build_WrongPassword_ErrorNamesConnectionString()
    {
        var wrong = postgres.Server.ConnectionString.Replace(PostgresServer.Password, "wrong");
        var error = Assert.Throws<ComponentLoadException>(() => RedisFailureTests.Build(RedisFailureTests.Component("state.postgresql", ("connectionString", wrong))));
        Assert.Contains("metadata field 'connectionString' user/password were refused by PostgreSQL", error.Message);
    }

    [Fact]
    public void Build_NothingListening_ErrorNamesConnectionString()
    {
        var port = Quoncept.Sidecar.Runner.FreePort.Next();
        var error = Assert.Throws<ComponentLoadException>(() => RedisFailureTests.Build(RedisFailureTests.Component("state.postgresql",
            ("connectionString", $"postgres://postgres:x@127.0.0.1:{port}/postgres"))));
        Assert.Contains($"metadata field 'connectionString' cannot reach PostgreSQL at 127.0.0.1:{port}", error.Message);
    }

    private async Task<(string Value, bool IsBinary, string XMin)> RowAsync(string key)
    {
        await using var connection = new NpgsqlConnection(Npgsql(postgres.Server));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT value::text, isbinary, xmin::text FROM {_table} WHERE key = $1", connection) { Parameters = { new() { Value = key } } };
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no row for {key}");
        return (reader.GetString(0), reader.GetBoolean(1), reader.GetString(2));
    }

    internal static string Npgsql(PostgresServer server) => PostgresConnectionString.Parse(server.ConnectionString).ToString();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

/// <summary>PostgreSQL killed with kill -9 under writes, then restarted.</summary>
public sealed class PostgresFailureTests
{
    [Fact]
    public async Task PostgresKilledAndRestarted_CallsFailFast_ThenReconnect_NoAcknowledgedWriteLost()
    {
        await using var server = await PostgresServer.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("app", components: PostgresFixture.StateComponent(server.ConnectionString, "state"));
        var acknowledged = new List<int>();
        var firstFailure = "";
        using var writing = new CancellationTokenSource();
        for (var i = 0; i < 20; i++)
        {
            var save = await sidecar.Client.PostAsync("v1.0/state/statestore", new StringContent($$"""[{"key":"k{{i}}","value":{{i}}}]""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.NoContent, save.StatusCode);
            acknowledged.Add(i);
        }
        // Writes race the kill: whatever was answered 204 must be there after the restart.
        var writer = Task.Run(async () =>
        {
            for (var i = 20; !writing.IsCancellationRequested; i++)
            {
                var save = await sidecar.Client.PostAsync("v1.0/state/statestore", new StringContent($$"""[{"key":"k{{i}}","value":{{i}}}]""", Encoding.UTF8, "application/json"));
                if (save.StatusCode == HttpStatusCode.NoContent)
                {
                    lock (acknowledged)
                    {
                        acknowledged.Add(i);
                    }
                }
                else if (firstFailure.Length == 0)
                {
                    firstFailure = await save.Content.ReadAsStringAsync();
                }
            }
        });
        await Task.Delay(500);
        server.Kill();
        await Task.Delay(100);
        await writing.CancelAsync();
        await writer;

        var clock = Stopwatch.StartNew();
        var down = await sidecar.Client.GetAsync("v1.0/state/statestore/k1");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"a call with PostgreSQL down took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.InternalServerError, down.StatusCode);

        int[] expected;
        lock (acknowledged)
        {
            expected = [.. acknowledged];
        }
        Assert.True(expected.Length > 20, $"the writer got no write in before the kill: {firstFailure}");
        await server.RestartAsync();
        HttpResponseMessage? answer = null;
        for (var tries = 0; tries < 100 && answer?.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NoContent); tries++)
        {
            answer = await sidecar.Client.GetAsync($"v1.0/state/statestore/k{expected[0]}");
            await Task.Delay(answer.StatusCode == HttpStatusCode.InternalServerError ? 100 : 0);
        }
        Assert.Equal(HttpStatusCode.OK, answer!.StatusCode);
        foreach (var i in expected)
        {
            var get = await sidecar.Client.GetAsync($"v1.0/state/statestore/k{i}");
            Assert.True(get.StatusCode == HttpStatusCode.OK, $"acknowledged write k{i} lost after kill -9 ({get.StatusCode})");
        }
    }
}
