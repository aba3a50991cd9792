using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

public sealed class StateApiTests : IAsyncLifetime
{
    private TestSidecar _sidecar = null!;

    private HttpClient Client => _sidecar.Client;

    public async Task InitializeAsync() => _sidecar = await TestSidecar.StartAsync();

    public async Task DisposeAsync() => await _sidecar.DisposeAsync();

    [Fact]
    public async Task SaveThenGet_ReturnsValueAndETag()
    {
        var save = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"k1","value":{"hp":3}}]"""));
        Assert.Equal(HttpStatusCode.NoContent, save.StatusCode);

        var get = await Client.GetAsync("v1.0/state/statestore/k1");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("""{"hp":3}""", await get.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(get.Headers.ETag?.Tag ?? get.Headers.GetValues("ETag").First()));
    }

    [Fact]
    public async Task Get_AbsentKey_Returns204()
    {
        var get = await Client.GetAsync("v1.0/state/statestore/nothing-here");
        Assert.Equal(HttpStatusCode.NoContent, get.StatusCode);
    }

    [Fact]
    public async Task Save_WrongETag_Returns409AndKeepsValue()
    {
        await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"k2","value":"one"}]"""));
        var etag = await ETagOf("k2");

        var stale = await Client.PostAsync("v1.0/state/statestore", Json($$"""[{"key":"k2","value":"two","etag":"{{etag}}9"}]"""));
        await AssertError(stale, HttpStatusCode.Conflict, "ERR_STATE_ETAG_MISMATCH");

        var fresh = await Client.PostAsync("v1.0/state/statestore", Json($$"""[{"key":"k2","value":"three","etag":"{{etag}}"}]"""));
        Assert.Equal(HttpStatusCode.NoContent, fresh.StatusCode);
        Assert.Equal("\"three\"", await (await Client.GetAsync("v1.0/state/statestore/k2")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Save_ETagTheStoreNeverIssued_Returns409Mismatch()
    {
        await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"k3","value":1}]"""));
        var response = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"k3","value":2,"etag":"not-a-version"}]"""));
        await AssertError(response, HttpStatusCode.Conflict, "ERR_STATE_ETAG_MISMATCH");
    }

    [Fact]
    public async Task Save_FirstWriteWithoutETag_FailsWhenKeyExists()
    {
        var first = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"fw","value":1,"options":{"concurrency":"first-write"}}]"""));
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        var second = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"fw","value":2,"options":{"concurrency":"first-write"}}]"""));
        await AssertError(second, HttpStatusCode.Conflict, "ERR_STATE_ETAG_MISMATCH");
        var lastWrite = await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"fw","value":3}]"""));
        Assert.Equal(HttpStatusCode.NoContent, lastWrite.StatusCode);
    }

    [Fact]
    public async Task Delete_WithIfMatch_ChecksETag()
    {
        await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"d1","value":1}]"""));
        var etag = await ETagOf("d1");

        using var wrong = new HttpRequestMessage(HttpMethod.Delete, "v1.0/state/statestore/d1");
        wrong.Headers.TryAddWithoutValidation("If-Match", etag + "0");
        await AssertError(await Client.SendAsync(wrong), HttpStatusCode.Conflict, "ERR_STATE_ETAG_MISMATCH");

        using var right = new HttpRequestMessage(HttpMethod.Delete, "v1.0/state/statestore/d1");
        right.Headers.TryAddWithoutValidation("If-Match", $"\"{etag}\"");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync(right)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.GetAsync("v1.0/state/statestore/d1")).StatusCode);
    }

    [Fact]
    public async Task BulkGet_ReturnsFoundAndMissingKeysInOrder()
    {
        await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"b1","value":{"n":1}},{"key":"b2","value":"two"}]"""));
        var response = await Client.PostAsync("v1.0/state/statestore/bulk", Json("""{"keys":["b2","missing","b1"]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3, items.GetArrayLength());
        Assert.Equal("two", items[0].GetProperty("data").GetString());
        Assert.False(items[1].TryGetProperty("data", out _));
        Assert.Equal(1, items[2].GetProperty("data").GetProperty("n").GetInt32());
        Assert.False(string.IsNullOrEmpty(items[2].GetProperty("etag").GetString()));
    }

    [Fact]
    public async Task Transaction_AppliesAllOperations()
    {
        await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"t-del","value":1}]"""));
        var response = await Client.PostAsync("v1.0/state/statestore/transaction", Json("""
            {"operations":[{"operation":"upsert","request":{"key":"t-a","value":"A"}},{"operation":"delete","request":{"key":"t-del"}}]}
            """));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("\"A\"", await (await Client.GetAsync("v1.0/state/statestore/t-a")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await Client.GetAsync("v1.0/state/statestore/t-del")).StatusCode);
    }

    [Fact]
    public async Task Transaction_WithStaleETag_AppliesNothing()
    {
        await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"tx1","value":"old"}]"""));
        var response = await Client.PostAsync("v1.0/state/statestore/transaction", Json("""
            {"operations":[{"operation":"upsert","request":{"key":"tx2","value":"new"}},{"operation":"upsert","request":{"key":"tx1","value":"new","etag":"12345"}}]}
            """));
        await AssertError(response, HttpStatusCode.Conflict, "ERR_STATE_ETAG_MISMATCH");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.GetAsync("v1.0/state/statestore/tx2")).StatusCode);
        Assert.Equal("\"old\"", await (await Client.GetAsync("v1.0/state/statestore/tx1")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Transaction_UnknownOperation_Returns400()
    {
        var response = await Client.PostAsync("v1.0/state/statestore/transaction", Json("""{"operations":[{"operation":"merge","request":{"key":"x"}}]}"""));
        await AssertError(response, HttpStatusCode.BadRequest, "ERR_NOT_SUPPORTED_STATE_OPERATION");
    }

    [Fact]
    public async Task Save_MalformedJson_Returns400AndRuntimeStaysUp()
    {
        await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"safe","value":"kept"}]"""));
        await AssertError(await Client.PostAsync("v1.0/state/statestore", Json("[{\"key\": ")), HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST");
        await AssertError(await Client.PostAsync("v1.0/state/statestore", Json("""{"key":"x"}""")), HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST");
        await AssertError(await Client.PostAsync("v1.0/state/statestore", Json("""[{"value":1}]""")), HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST");
        await AssertError(await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"a||b","value":1}]""")), HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST");
        await AssertError(await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"c","value":1,"options":{"concurrency":"sometimes"}}]""")), HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST");
        Assert.Equal("\"kept\"", await (await Client.GetAsync("v1.0/state/statestore/safe")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnyOperation_UnknownStore_Returns400StoreNotFound()
    {
        await AssertError(await Client.GetAsync("v1.0/state/nostore/k"), HttpStatusCode.BadRequest, "ERR_STATE_STORE_NOT_FOUND");
        await AssertError(await Client.PostAsync("v1.0/state/nostore", Json("[]")), HttpStatusCode.BadRequest, "ERR_STATE_STORE_NOT_FOUND");
    }

    [Fact]
    public async Task Save_OversizedBody_Returns413AndRuntimeStaysUp()
    {
        // Kestrel answers as soon as it sees the declared length, so read the answer off a raw socket.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Client.BaseAddress!.Port);
        var stream = tcp.GetStream();
        var head = "POST /v1.0/state/statestore HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 6000000\r\n\r\n[{\"key\":\"big\",\"value\":\"xxxx";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var answer = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.StartsWith("HTTP/1.1 413", answer);
        Assert.Contains("ERR_MALFORMED_REQUEST", answer);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.GetAsync("v1.0/healthz/outbound")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.GetAsync("v1.0/state/statestore/big")).StatusCode);
    }

    [Fact]
    public async Task Save_TtlExpired_ValueGone()
    {
        // 3 s, not 1: under a loaded test run the first read can come more than a second after the save.
        await Client.PostAsync("v1.0/state/statestore", Json("""[{"key":"ttl","value":1,"metadata":{"ttlInSeconds":"3"}}]"""));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("v1.0/state/statestore/ttl")).StatusCode);
        await Task.Delay(3200);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.GetAsync("v1.0/state/statestore/ttl")).StatusCode);
    }

    [Fact]
    public async Task UnknownApiPath_Returns404DaprError()
    {
        await AssertError(await Client.GetAsync("v1.0/nothing"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    private async Task<string> ETagOf(string key)
    {
        var response = await Client.GetAsync($"v1.0/state/statestore/{key}");
        return response.Headers.GetValues("ETag").Single();
    }

    internal static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    internal static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var error = JsonDocument.Parse(body).RootElement;
        Assert.Equal(errorCode, error.GetProperty("errorCode").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }
}
