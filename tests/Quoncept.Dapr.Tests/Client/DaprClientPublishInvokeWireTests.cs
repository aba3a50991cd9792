using System.Net;
using Quoncept.Dapr.Tests.Support;

namespace Quoncept.Dapr.Tests.Client;

/// <summary>
/// What DaprClient's publish, invocation, actor and health calls put on the wire, compared with the request shapes of the Dapr API reference:
/// https://docs.dapr.io/reference/api/state_api/, pubsub_api/, service_invocation_api/, actors_api/, health_api/.
/// </summary>
public sealed class DaprClientPublishInvokeWireTests : IDisposable
{
    private readonly RecordingHandler _sidecar = new();
    private readonly DaprClient _client;

    public DaprClientPublishInvokeWireTests() =>
        _client = new DaprClientBuilder().UseHttpEndpoint("http://127.0.0.1:3599").UseDaprApiToken("secret").UseHttpMessageHandler(_sidecar).Build();

    public void Dispose() => _client.Dispose();

    private sealed record Widget(string Name, int Size);

    [Fact]
    public async Task PublishEventAsync_JsonBodyAndMetadataQuery()
    {
        await _client.PublishEventAsync("pubsub", "orders", new Widget("w", 1), new Dictionary<string, string> { ["ttlInSeconds"] = "30" });
        var r = _sidecar.Last;
        Assert.Equal("POST", r.Method);
        Assert.Equal("/v1.0/publish/pubsub/orders?metadata.ttlInSeconds=30", r.PathAndQuery);
        Assert.StartsWith("application/json", r.Header("Content-Type"));
        JsonAssert.Equal("""{"name":"w","size":1}""", r.Body);
    }

    [Fact]
    public async Task PublishEventAsync_RawPayload_MetadataRawPayloadTrue()
    {
        await _client.PublishEventAsync("pubsub", "raw", new Widget("w", 1), new Dictionary<string, string> { ["rawPayload"] = "true" });
        Assert.Equal("/v1.0/publish/pubsub/raw?metadata.rawPayload=true", _sidecar.Last.PathAndQuery);
    }

    [Fact]
    public async Task BulkPublishEventAsync_AllPublished_ArrayOfEntriesAndNoFailures()
    {
        _sidecar.Respond(HttpStatusCode.NoContent);
        var response = await _client.BulkPublishEventAsync("pubsub", "orders", [new Widget("a", 1), new Widget("b", 2)], new Dictionary<string, string> { ["ttlInSeconds"] = "30" });
        var r = _sidecar.Last;
        Assert.Equal("POST", r.Method);
        Assert.Equal("/v1.0-alpha1/publish/bulk/pubsub/orders?metadata.ttlInSeconds=30", r.PathAndQuery);
        Assert.StartsWith("application/json", r.Header("Content-Type"));
        JsonAssert.Equal("""
            [{"entryId":"0","event":{"name":"a","size":1},"contentType":"application/json"},
             {"entryId":"1","event":{"name":"b","size":2},"contentType":"application/json"}]
            """, r.Body);
        Assert.Empty(response.FailedEntries);
    }

    [Fact]
    public async Task BulkPublishEventAsync_PartialFailure_FailedEntriesMappedToTheirEvents()
    {
        _sidecar.Respond(HttpStatusCode.InternalServerError, """{"failedEntries":[{"entryId":"1","error":"broker said no"}],"errorCode":"ERR_PUBSUB_PUBLISH_MESSAGE"}""");
        var b = new Widget("b", 2);
        var response = await _client.BulkPublishEventAsync("pubsub", "orders", [new Widget("a", 1), b, new Widget("c", 3)]);
        var failed = Assert.Single(response.FailedEntries);
        Assert.Same(b, failed.Entry.EventData);
        Assert.Equal("1", failed.Entry.EntryId);
        Assert.Equal("broker said no", failed.ErrorMessage);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, """{"errorCode":"ERR_PUBSUB_NOT_FOUND","message":"pubsub nope is not found"}""", "ERR_PUBSUB_NOT_FOUND")]
    [InlineData(HttpStatusCode.InternalServerError, """{"errorCode":"ERR_PUBSUB_PUBLISH_MESSAGE","message":"broker down"}""", "ERR_PUBSUB_PUBLISH_MESSAGE")]
    public async Task BulkPublishEventAsync_RequestRefused_ThrowsWithTheSidecarsCode(HttpStatusCode status, string body, string code)
    {
        _sidecar.Respond(status, body);
        var error = await Assert.ThrowsAsync<DaprApiException>(() => _client.BulkPublishEventAsync("nope", "orders", [new Widget("a", 1)]));
        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public async Task PublishByteEventAsync_ContentTypeKept()
    {
        await _client.PublishByteEventAsync("pubsub", "t", "hello"u8.ToArray(), "text/plain");
        Assert.Equal("text/plain", _sidecar.Last.Header("Content-Type"));
        Assert.Equal("hello", _sidecar.Last.Body);
    }

    [Fact]
    public async Task PublishCloudEventAsync_CloudEventsJson()
    {
        await _client.PublishCloudEventAsync("pubsub", "t", new CloudEvent<Widget>(new Widget("w", 1))
        {
            Id = "e1",
            Source = new Uri("urn:quoncept:test"),
            Type = "widget.made",
            Subject = "w",
        });
        var r = _sidecar.Last;
        Assert.Equal("application/cloudevents+json", r.Header("Content-Type"));
        JsonAssert.Equal("""
            {"specversion":"1.0","id":"e1","source":"urn:quoncept:test","type":"widget.made","subject":"w",
             "datacontenttype":"application/json","data":{"name":"w","size":1}}
            """, r.Body);
    }

    [Fact]
    public async Task InvokeMethodAsync_PostJsonToInvokePath()
    {
        _sidecar.Respond(HttpStatusCode.OK, """{"name":"r","size":9}""");
        var result = await _client.InvokeMethodAsync<Widget, Widget>("orders", "api/make", new Widget("w", 1));
        Assert.Equal(new Widget("r", 9), result);
        var r = _sidecar.Last;
        Assert.Equal("POST", r.Method);
        Assert.Equal("/v1.0/invoke/orders/method/api/make", r.PathAndQuery);
        Assert.Equal("secret", r.Header("dapr-api-token"));
        JsonAssert.Equal("""{"name":"w","size":1}""", r.Body);
    }

    [Fact]
    public async Task InvokeMethodAsync_HttpMethodAndQuery()
    {
        _sidecar.Respond(HttpStatusCode.OK, "[1,2]");
        var result = await _client.InvokeMethodAsync<int[]>(HttpMethod.Get, "orders", "list?page=2");
        Assert.Equal([1, 2], result);
        Assert.Equal("GET", _sidecar.Last.Method);
        Assert.Equal("/v1.0/invoke/orders/method/list?page=2", _sidecar.Last.PathAndQuery);
    }

    [Fact]
    public async Task InvokeMethodAsync_AppAnswers500_InvocationException()
    {
        _sidecar.Respond(HttpStatusCode.InternalServerError, "boom", "text/plain");
        var ex = await Assert.ThrowsAsync<InvocationException>(() => _client.InvokeMethodAsync("orders", "m"));
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal("orders", ex.AppId);
        Assert.Equal("m", ex.MethodName);
        Assert.Equal("boom", ex.ResponseBody);
    }

    [Fact]
    public async Task InvokeMethodAsync_BadAppId_ArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.InvokeMethodAsync("bad/app", "m"));
        Assert.Empty(_sidecar.Requests);
    }

    [Fact]
    public async Task InvokeActorMethodAsync_PutToActorMethodPath()
    {
        _sidecar.Respond(HttpStatusCode.OK, "7");
        Assert.Equal(7, await _client.InvokeActorMethodAsync<Widget, int>("CharacterActor", "c 1", "MoveAsync", new Widget("w", 1)));
        var r = _sidecar.Last;
        Assert.Equal("PUT", r.Method);
        Assert.Equal("/v1.0/actors/CharacterActor/c%201/method/MoveAsync", r.PathAndQuery);
        JsonAssert.Equal("""{"name":"w","size":1}""", r.Body);
    }

    [Fact]
    public async Task CheckHealthAsync_HealthzEndpoints()
    {
        _sidecar.Respond(HttpStatusCode.NoContent);
        _sidecar.Respond(HttpStatusCode.InternalServerError, """{"errorCode":"ERR_HEALTH_NOT_READY","message":"x"}""");
        Assert.True(await _client.CheckHealthAsync());
        Assert.False(await _client.CheckOutboundHealthAsync());
        Assert.Equal(["/v1.0/healthz", "/v1.0/healthz/outbound"], _sidecar.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task ErrorBody_BecomesDaprApiExceptionWithCode()
    {
        _sidecar.Respond(HttpStatusCode.BadRequest, """{"errorCode":"ERR_STATE_STORE_NOT_FOUND","message":"state store nope is not found"}""");
        var ex = await Assert.ThrowsAsync<DaprApiException>(() => _client.SaveStateAsync("nope", "k", 1));
        Assert.Equal("ERR_STATE_STORE_NOT_FOUND", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains("state store nope is not found", ex.Message);
    }

    [Fact]
    public async Task ErrorBody_NotJson_UnknownCodeWithBodyText()
    {
        _sidecar.Respond(HttpStatusCode.BadGateway, "upstream down", "text/plain");
        var ex = await Assert.ThrowsAsync<DaprApiException>(() => _client.PublishEventAsync("p", "t", 1));
        Assert.Equal("UNKNOWN", ex.ErrorCode);
        Assert.Contains("upstream down", ex.Message);
    }

    [Fact]
    public async Task NoToken_NoHeader()
    {
        using var client = new DaprClientBuilder().UseHttpEndpoint("http://127.0.0.1:3599").UseDaprApiToken(null).UseHttpMessageHandler(_sidecar).Build();
        await client.SaveStateAsync("s", "k", 1);
        Assert.Null(_sidecar.Last.Header("dapr-api-token"));
    }
}
