using System.Net;
using Quoncept.Dapr.Tests.Support;

namespace Quoncept.Dapr.Tests.Client;

/// <summary>
/// What DaprClient's state calls put on the wire, compared with the request shapes of the Dapr API reference:
/// https://docs.dapr.io/reference/api/state_api/, pubsub_api/, service_invocation_api/, actors_api/, health_api/.
/// </summary>
public sealed class DaprClientStateWireTests : IDisposable
{
    private readonly RecordingHandler _sidecar = new();
    private readonly DaprClient _client;

    public DaprClientStateWireTests() =>
        _client = new DaprClientBuilder().UseHttpEndpoint("http://127.0.0.1:3599").UseDaprApiToken("secret").UseHttpMessageHandler(_sidecar).Build();

    public void Dispose() => _client.Dispose();

    private sealed record Widget(string Name, int Size);

    [Fact]
    public async Task SaveStateAsync_SendsDocumentedArray()
    {
        await _client.SaveStateAsync("statestore", "w1", new Widget("a", 2),
            new StateOptions { Consistency = ConsistencyMode.Strong, Concurrency = ConcurrencyMode.LastWrite },
            new Dictionary<string, string> { ["ttlInSeconds"] = "60" });

        var r = _sidecar.Last;
        Assert.Equal("POST", r.Method);
        Assert.Equal("/v1.0/state/statestore", r.PathAndQuery);
        Assert.Equal("127.0.0.1:3599", r.Authority);
        Assert.Equal("secret", r.Header("dapr-api-token"));
        Assert.StartsWith("application/json", r.Header("Content-Type"));
        JsonAssert.Equal("""
            [{"key":"w1","value":{"name":"a","size":2},"metadata":{"ttlInSeconds":"60"},
              "options":{"concurrency":"last-write","consistency":"strong"}}]
            """, r.Body);
    }

    [Fact]
    public async Task TrySaveStateAsync_EtagInBodyFirstWrite_FalseOn409()
    {
        _sidecar.Respond(HttpStatusCode.Conflict, """{"errorCode":"ERR_STATE_SAVE","message":"possible etag mismatch"}""");
        Assert.False(await _client.TrySaveStateAsync("statestore", "w1", 5, "7"));
        JsonAssert.Equal("""[{"key":"w1","value":5,"etag":"7","options":{"concurrency":"first-write"}}]""", _sidecar.Last.Body);

        Assert.True(await _client.TrySaveStateAsync("statestore", "w1", 5, "8"));
    }

    [Fact]
    public async Task GetStateAndETagAsync_ReadsValueAndEtagHeader()
    {
        _sidecar.Respond(HttpStatusCode.OK, """{"name":"a","size":3}""", configure: m => m.Headers.TryAddWithoutValidation("ETag", "12"));
        var (value, etag) = await _client.GetStateAndETagAsync<Widget>("statestore", "w 1", ConsistencyMode.Strong, new Dictionary<string, string> { ["partitionKey"] = "p" });
        Assert.Equal(new Widget("a", 3), value);
        Assert.Equal("12", etag);
        var r = _sidecar.Last;
        Assert.Equal("GET", r.Method);
        Assert.Equal("/v1.0/state/statestore/w%201?consistency=strong&metadata.partitionKey=p", r.PathAndQuery);
        Assert.Equal("secret", r.Header("dapr-api-token"));
    }

    [Fact]
    public async Task GetStateAsync_204_Default()
    {
        _sidecar.Respond(HttpStatusCode.NoContent);
        Assert.Null(await _client.GetStateAsync<Widget>("statestore", "missing"));
        var (value, etag) = await _client.GetStateAndETagAsync<int>("statestore", "missing");
        Assert.Equal(0, value);
        Assert.Equal("", etag);
    }

    [Fact]
    public async Task DeleteStateAsync_QueryOptions()
    {
        await _client.DeleteStateAsync("statestore", "w1", new StateOptions { Consistency = ConsistencyMode.Eventual });
        var r = _sidecar.Last;
        Assert.Equal("DELETE", r.Method);
        Assert.Equal("/v1.0/state/statestore/w1?consistency=eventual", r.PathAndQuery);
        Assert.Null(r.Header("If-Match"));
    }

    [Fact]
    public async Task TryDeleteStateAsync_IfMatchHeader_FalseOnMismatch()
    {
        _sidecar.Respond(HttpStatusCode.Conflict, """{"errorCode":"ERR_STATE_DELETE","message":"possible etag mismatch"}""");
        Assert.False(await _client.TryDeleteStateAsync("statestore", "w1", "3"));
        var r = _sidecar.Last;
        Assert.Equal("DELETE", r.Method);
        Assert.Equal("/v1.0/state/statestore/w1?concurrency=first-write", r.PathAndQuery);
        Assert.Equal("3", r.Header("If-Match"));
    }

    [Fact]
    public async Task GetBulkStateAsync_DocumentedBodyAndAnswer()
    {
        _sidecar.Respond(HttpStatusCode.OK, """[{"key":"a","data":{"name":"x","size":1},"etag":"1"},{"key":"b"}]""");
        var items = await _client.GetBulkStateAsync<Widget>("statestore", ["a", "b"], parallelism: 10, new Dictionary<string, string> { ["k"] = "v" });
        var r = _sidecar.Last;
        Assert.Equal("POST", r.Method);
        Assert.Equal("/v1.0/state/statestore/bulk?metadata.k=v", r.PathAndQuery);
        JsonAssert.Equal("""{"keys":["a","b"],"parallelism":10}""", r.Body);
        Assert.Equal(new Widget("x", 1), items[0].Value);
        Assert.Equal("1", items[0].ETag);
        Assert.Null(items[1].Value);
        Assert.Equal("", items[1].ETag);
    }

    [Fact]
    public async Task ExecuteStateTransactionAsync_DocumentedOperations()
    {
        await _client.ExecuteStateTransactionAsync("statestore",
        [
            new StateTransactionRequest("a", "{\"n\":1}"u8.ToArray(), StateOperationType.Upsert, etag: "4"),
            new StateTransactionRequest("b", null, StateOperationType.Delete),
        ], new Dictionary<string, string> { ["partitionKey"] = "p" });
        var r = _sidecar.Last;
        Assert.Equal("POST", r.Method);
        Assert.Equal("/v1.0/state/statestore/transaction", r.PathAndQuery);
        JsonAssert.Equal("""
            {"operations":[
              {"operation":"upsert","request":{"key":"a","value":{"n":1},"etag":"4","options":{"concurrency":"first-write"}}},
              {"operation":"delete","request":{"key":"b"}}],
             "metadata":{"partitionKey":"p"}}
            """, r.Body);
    }

    [Fact]
    public async Task ExecuteStateTransactionAsync_ValueNotJson_ArgumentException()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.ExecuteStateTransactionAsync("s",
            [new StateTransactionRequest("a", "not json"u8.ToArray(), StateOperationType.Upsert)]));
        Assert.Contains("'a'", ex.Message);
        Assert.Empty(_sidecar.Requests);
    }
}
