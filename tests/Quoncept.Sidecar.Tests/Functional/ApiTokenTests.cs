using System.Net;
using Dapr;
using Grpc.Core;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>With DAPR_API_TOKEN set, both APIs refuse calls without the token, as daprd does.</summary>
public sealed class ApiTokenTests
{
    private const string Token = "s3cret-token";

    private static Task<TestSidecar> StartAsync(TestApp? target = null) =>
        TestSidecar.StartAsync([("caller", null), ("target", target)], adjust: s => s with { ApiToken = Token });

    [Fact]
    public async Task Grpc_RightToken_Accepted()
    {
        await using var sidecar = await StartAsync();
        using var dapr = SdkClients.Dapr(sidecar.Runtime.Apps.All[0], Token);

        await dapr.SaveStateAsync("statestore", "k", "v");

        Assert.Equal("v", await dapr.GetStateAsync<string>("statestore", "k"));
    }

    [Theory]
    [InlineData(null, "missing api token in request metadata")]
    [InlineData("wrong", "authentication error: api token mismatch")]
    public async Task Grpc_MissingOrWrongToken_UnauthenticatedAsDaprd(string? token, string reason)
    {
        await using var sidecar = await StartAsync();
        using var dapr = SdkClients.Dapr(sidecar.Runtime.Apps.All[0], token);

        var error = await Assert.ThrowsAsync<DaprException>(() => dapr.GetMetadataAsync());

        var status = GrpcAssert.HasStatus(error, StatusCode.Unauthenticated);
        Assert.Equal("Unauthorized", status.Status.Detail);
        var info = GrpcAssert.ErrorInfo(error);
        Assert.Equal("401", info.Metadata["http.code"]);
        Assert.Equal(reason, info.Metadata["http.error_message"]);
    }

    [Fact]
    public async Task Http_WithoutToken_401InvalidApiToken_HealthzExempt()
    {
        await using var sidecar = await StartAsync();

        var refused = await sidecar.Client.GetAsync("v1.0/metadata");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid api token\n", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.GetAsync("v1.0/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.GetAsync("v1.0/healthz/outbound")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "v1.0/metadata");
        wrong.Headers.Add("dapr-api-token", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await sidecar.Client.SendAsync(wrong)).StatusCode);
    }

    [Fact]
    public async Task Http_RightToken_AcceptedAndNotPassedToInvokedApp()
    {
        await using var target = await TestApp.StartAsync();
        await using var sidecar = await StartAsync(target);

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1.0/invoke/target/method/work");
        request.Headers.Add("dapr-api-token", Token);
        var response = await sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(Assert.Single(target.Requests).Headers.ContainsKey("dapr-api-token"));
    }

    [Fact]
    public async Task SdkHttpInvocation_WithToken_ReachesAppWithoutIt()
    {
        await using var target = await TestApp.StartAsync();
        target.Responder = (_, _) => (200, """{"ok":true}""");
        await using var sidecar = await StartAsync(target);
        using var dapr = SdkClients.Dapr(sidecar.Runtime.Apps.All[0], Token);

#pragma warning disable CS0618 // the SDK marks its HTTP invocation helpers obsolete; apps still call them
        var answer = await dapr.InvokeMethodAsync<Dictionary<string, bool>>(HttpMethod.Get, "target", "status");
#pragma warning restore CS0618

        Assert.True(answer["ok"]);
        Assert.False(Assert.Single(target.Requests).Headers.ContainsKey("dapr-api-token"));
    }
}
