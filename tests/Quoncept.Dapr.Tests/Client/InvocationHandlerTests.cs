using System.Net;
using Quoncept.Dapr.Tests.Support;

namespace Quoncept.Dapr.Tests.Client;

public sealed class InvocationHandlerTests
{
    [Fact]
    public async Task HttpClient_RequestRewrittenToInvokeApi()
    {
        var sidecar = new RecordingHandler();
        sidecar.Respond(HttpStatusCode.OK, "{}");
        using var client = new HttpClient(new InvocationHandler { DaprEndpoint = "http://127.0.0.1:3598", DaprApiToken = "t", InnerHandler = sidecar })
        {
            BaseAddress = new Uri("http://systems/"),
        };

        var response = await client.GetAsync("api/systems/sol?detail=full");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var r = sidecar.Last;
        Assert.Equal("GET", r.Method);
        Assert.Equal("127.0.0.1:3598", r.Authority);
        Assert.Equal("/v1.0/invoke/systems/method/api/systems/sol?detail=full", r.PathAndQuery);
        Assert.Equal("t", r.Header("dapr-api-token"));
    }

    [Fact]
    public void CreateInvokeHttpClient_BaseAddressIsAppId()
    {
        using var client = DaprClient.CreateInvokeHttpClient("characters", "http://127.0.0.1:3598");
        Assert.Equal(new Uri("http://characters/"), client.BaseAddress);
        Assert.Throws<ArgumentException>(() => DaprClient.CreateInvokeHttpClient("not an app", "http://127.0.0.1:3598"));
    }

    [Fact]
    public async Task HttpClient_RelativeUriWithoutBase_ClearError()
    {
        using var client = new HttpClient(new InvocationHandler { DaprEndpoint = "http://127.0.0.1:3598", InnerHandler = new RecordingHandler() });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/x", UriKind.Relative));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => client.SendAsync(request));
    }
}
