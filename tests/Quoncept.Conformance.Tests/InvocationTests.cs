using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapr.Client;
using Microsoft.Extensions.DependencyInjection;
using Quoncept.Conformance.TestApp;
using Quoncept.Conformance.Tests.Harness;

namespace Quoncept.Conformance.Tests;

/// <summary>
/// Service invocation of the app through the runtime's HTTP API: with the SDK's recommended
/// <see cref="DaprClient.CreateInvokeHttpClient"/> (what the services use) and with the older
/// <c>CreateInvokeMethodRequest</c> / <c>InvokeMethodAsync</c> pair.
/// </summary>
[Collection(nameof(SharedRuntimeCollection))]
public sealed class InvocationTests(SharedRuntime runtime)
{
    private HttpClient InvokeClient() => DaprClient.CreateInvokeHttpClient(runtime.AppId, runtime.HttpEndpoint);

    [Fact]
    public async Task CreateInvokeHttpClient_PostJson_AppAnswersIt()
    {
        using var http = InvokeClient();

        using var response = await http.PostAsJsonAsync("/echo", new LedgerEvent("x", 21));

        response.EnsureSuccessStatusCode();
        Assert.Equal(new LedgerEvent("x", 42), await response.Content.ReadFromJsonAsync<LedgerEvent>());
    }

    [Fact]
    public async Task InvocationHandler_NamedHttpClientFromTheFactory_ReachesTheApp()
    {
        // How the gateway invokes: IHttpClientFactory, a base address naming the app id, the SDK's InvocationHandler.
        var services = new ServiceCollection();
        services.AddHttpClient(runtime.AppId, c => c.BaseAddress = new Uri($"http://{runtime.AppId}/"))
            .AddHttpMessageHandler(() => new InvocationHandler { DaprEndpoint = runtime.HttpEndpoint });
        await using var provider = services.BuildServiceProvider();
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(runtime.AppId);

        using var response = await http.PostAsJsonAsync("echo", new LedgerEvent("f", 8));

        Assert.Equal(new LedgerEvent("f", 16), await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<LedgerEvent>());
    }

    [Fact]
    public async Task CreateInvokeHttpClient_QueryString_ReachesTheAppUnchanged()
    {
        using var http = InvokeClient();

        using var answer = JsonDocument.Parse(await http.GetStringAsync("/whoami?name=a%20b&n=1&n=2"));

        Assert.Equal("?name=a%20b&n=1&n=2", answer.RootElement.GetProperty("query").GetString());
    }

    [Fact]
    public async Task CreateInvokeHttpClient_AppAnswersNon2xx_StatusAndBodyPassedThrough()
    {
        using var http = InvokeClient();

        using var response = await http.PutAsync("/status/418", content: null);

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(418, body.RootElement.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task CreateInvokeHttpClient_AnyVerbWithBodyAndHeaders_ReachTheAppAndTheAnswerComesBack(string verb)
    {
        using var http = InvokeClient();
        using var request = new HttpRequestMessage(new HttpMethod(verb), "/inspect")
        {
            Content = new StringContent("<ledger/>", System.Text.Encoding.UTF8, "application/xml"),
        };
        request.Headers.Add("x-conformance", "yes");

        using var response = await http.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.Equal("conformance-app", Assert.Single(response.Headers.GetValues("x-answered-by")));
        var seen = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;
        Assert.Equal(verb, seen["method"]);
        Assert.Equal("<ledger/>", seen["body"]);
        Assert.StartsWith("application/xml", seen["contentType"], StringComparison.Ordinal);
        Assert.Equal("yes", seen["x-conformance"]);
        // daprd names both ends of the call; the caller is the app this sidecar fronts.
        Assert.Equal(runtime.AppId, seen["dapr-caller-app-id"]);
        Assert.Equal(runtime.AppId, seen["dapr-callee-app-id"]);
    }

    [Fact]
    public async Task CreateInvokeHttpClient_NoSuchRoute_AppsNotFound()
    {
        using var http = InvokeClient();

        using var response = await http.GetAsync("/no-such-route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

// The services invoke through CreateInvokeHttpClient, the SDK's recommended way; these calls are [Obsolete] in 1.19
// but still what many apps use, so the runtime must serve them too.
#pragma warning disable CS0618
    [Fact]
    public async Task InvokeMethodAsync_CreateInvokeMethodRequestWithJson_TypedAnswer()
    {
        using var request = runtime.Client.CreateInvokeMethodRequest(HttpMethod.Post, runtime.AppId, "echo", [], new LedgerEvent("y", 5));

        var echoed = await runtime.Client.InvokeMethodAsync<LedgerEvent>(request);

        Assert.Equal(new LedgerEvent("y", 10), echoed);
    }

    [Fact]
    public async Task InvokeMethodAsync_QueryStringParameters_ReachTheApp()
    {
        using var request = runtime.Client.CreateInvokeMethodRequest(HttpMethod.Get, runtime.AppId, "whoami",
            [new KeyValuePair<string, string>("q", "one two"), new KeyValuePair<string, string>("n", "3")]);

        using var answer = await runtime.Client.InvokeMethodAsync<JsonDocument>(request);

        var query = answer.RootElement.GetProperty("query").GetString()!;
        Assert.Contains("n=3", query, StringComparison.Ordinal);
        Assert.Contains("q=one", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeMethodAsync_AppAnswersNon2xx_InvocationExceptionWithTheAppsResponse()
    {
        using var request = runtime.Client.CreateInvokeMethodRequest(HttpMethod.Put, runtime.AppId, "status/409");

        var error = await Assert.ThrowsAsync<InvocationException>(() => runtime.Client.InvokeMethodAsync(request));

        Assert.Equal(runtime.AppId, error.AppId);
        Assert.Equal("status/409", error.MethodName);
        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
    }

    [Fact]
    public async Task InvokeMethodWithResponseAsync_AppAnswersNon2xx_ResponseReturnedAsIs()
    {
        using var request = runtime.Client.CreateInvokeMethodRequest(HttpMethod.Put, runtime.AppId, "status/503");

        using var response = await runtime.Client.InvokeMethodWithResponseAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
#pragma warning restore CS0618

    [Fact]
    public async Task CreateInvokeHttpClient_UnknownAppId_DaprErrorFromTheRuntime()
    {
        using var http = DaprClient.CreateInvokeHttpClient("no-such-app", runtime.HttpEndpoint);

        using var response = await http.GetAsync("/whoami");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_DIRECT_INVOKE", body.RootElement.GetProperty("errorCode").GetString());
    }
}
