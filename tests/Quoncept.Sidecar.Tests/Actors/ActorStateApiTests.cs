using System.Net;
using System.Text;

namespace Quoncept.Sidecar.Tests.Actors;

public sealed class ActorStateApiTests : IAsyncLifetime
{
    private TestActorApp _host = null!;
    private ActorSidecarHarness _sidecar = null!;
    private HttpClient _hostSidecar = null!;
    private HttpClient _otherSidecar = null!;

    public async Task InitializeAsync()
    {
        _host = await TestActorApp.StartAsync("hostapp", TestActorApp.ConfigFor("Wallet"));
        _sidecar = await ActorSidecarHarness.StartAsync([_host, null], appIds: ["hostapp", "caller"]);
        await _sidecar.WaitForHostsAsync("Wallet", 1);
        _hostSidecar = _sidecar.Client(0);
        _otherSidecar = _sidecar.Client(1);
    }

    public async Task DisposeAsync()
    {
        _hostSidecar.Dispose();
        _otherSidecar.Dispose();
        await _sidecar.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Transaction_UpsertThenDelete_GetSeesSavedJsonOr204()
    {
        using var saved = await _hostSidecar.PostAsync("v1.0/actors/Wallet/w1/state", Json("""
            [{"operation":"upsert","request":{"key":"balance","value":{"amount":42}}},
             {"operation":"upsert","request":{"key":"name","value":"myData"}},
             {"operation":"upsert","request":{"key":"gone","value":1}},
             {"operation":"delete","request":{"key":"gone"}}]
            """));
        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);

        using var balance = await _hostSidecar.GetAsync("v1.0/actors/Wallet/w1/state/balance");
        Assert.Equal(HttpStatusCode.OK, balance.StatusCode);
        Assert.Equal("{\"amount\":42}", await balance.Content.ReadAsStringAsync());
        Assert.Equal("application/json", balance.Content.Headers.ContentType?.MediaType);
        using var name = await _hostSidecar.GetAsync("v1.0/actors/Wallet/w1/state/name");
        Assert.Equal("\"myData\"", await name.Content.ReadAsStringAsync());
        using var gone = await _hostSidecar.GetAsync("v1.0/actors/Wallet/w1/state/gone");
        Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
        using var otherActor = await _hostSidecar.GetAsync("v1.0/actors/Wallet/w2/state/balance");
        Assert.Equal(HttpStatusCode.NoContent, otherActor.StatusCode);

        using var deleted = await _hostSidecar.DeleteAsync("v1.0/actors/Wallet/w1/state/balance");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var afterDelete = await _hostSidecar.GetAsync("v1.0/actors/Wallet/w1/state/balance");
        Assert.Equal(HttpStatusCode.NoContent, afterDelete.StatusCode);
    }

    [Fact]
    public async Task Transaction_EmptyList_Is204()
    {
        using var response = await _hostSidecar.PostAsync("v1.0/actors/Wallet/w1/state", Json("[]"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task State_FromAppNotHostingTheActor_400InstanceMissing()
    {
        using var get = await _otherSidecar.GetAsync("v1.0/actors/Wallet/w1/state/balance");
        await ActorInvocationTests.AssertDaprError(get, HttpStatusCode.BadRequest, "ERR_ACTOR_INSTANCE_MISSING", "actor instance is missing");
        using var save = await _otherSidecar.PostAsync("v1.0/actors/Wallet/w1/state", Json("[]"));
        await ActorInvocationTests.AssertDaprError(save, HttpStatusCode.BadRequest, "ERR_ACTOR_INSTANCE_MISSING", "Wallet/w1");
        using var unknownType = await _hostSidecar.GetAsync("v1.0/actors/Nobody/1/state/x");
        await ActorInvocationTests.AssertDaprError(unknownType, HttpStatusCode.BadRequest, "ERR_ACTOR_INSTANCE_MISSING", "Nobody/1");
    }

    [Theory]
    [InlineData("{not json", "failed deserializing HTTP body")]
    [InlineData("", "the body is empty")]
    [InlineData("{\"operation\":\"upsert\"}", "expected a JSON array")]
    [InlineData("[{\"operation\":\"merge\",\"request\":{\"key\":\"a\"}}]", "'merge' is not supported")]
    [InlineData("[{\"operation\":\"upsert\",\"request\":{\"value\":1}}]", "no request.key")]
    [InlineData("[{\"operation\":\"upsert\"}]", "operation 0 must be")]
    [InlineData("[{\"operation\":\"upsert\",\"request\":{\"key\":\"a\",\"value\":1,\"metadata\":{\"ttlInSeconds\":\"soon\"}}}]", "ttlInSeconds")]
    public async Task Transaction_BadBody_400AndNothingSaved(string body, string messagePart)
    {
        using var response = await _hostSidecar.PostAsync("v1.0/actors/Wallet/bad/state", Json(body));
        await ActorInvocationTests.AssertDaprError(response, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", messagePart);
        using var get = await _hostSidecar.GetAsync("v1.0/actors/Wallet/bad/state/a");
        Assert.Equal(HttpStatusCode.NoContent, get.StatusCode);
    }

    [Fact]
    public async Task Transaction_OneBadOperation_NoneApplied()
    {
        using var response = await _hostSidecar.PostAsync("v1.0/actors/Wallet/atomic/state", Json("""
            [{"operation":"upsert","request":{"key":"a","value":1}},{"operation":"upsert","request":{}}]
            """));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var get = await _hostSidecar.GetAsync("v1.0/actors/Wallet/atomic/state/a");
        Assert.Equal(HttpStatusCode.NoContent, get.StatusCode);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
