using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using Dapr;
using Dapr.Actors;
using Dapr.Actors.Client;
using Dapr.Client;
using Grpc.Core;
using Quoncept.Conformance.TestApp;
using Quoncept.Conformance.Tests.Harness;

namespace Quoncept.Conformance.Tests;

/// <summary>
/// <c>DAPR_API_TOKEN</c> set for the runtime and the app: the SDK sends it from the environment (the app's calls
/// work) or from the builder (the test's); a call without it is refused on both APIs. <c>APP_API_TOKEN</c> set for
/// both: every call the runtime makes into the app (actors, <c>/dapr/config</c>, subscriptions, deliveries,
/// invocation) carries it, or the app would refuse it.
/// </summary>
public sealed class ApiTokenTests(TokenRuntime runtime) : IClassFixture<TokenRuntime>
{
    private const string Store = ComponentFiles.StateStore;

    private static string NewId() => Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task SaveStateAsync_WithToken_Works_WithoutToken_Unauthenticated()
    {
        var key = "token-" + NewId();
        await runtime.Client.SaveStateAsync(Store, key, 1);
        Assert.Equal(1, await runtime.Client.GetStateAsync<int>(Store, key));

        using var anonymous = runtime.CreateClient(apiToken: null);
        var error = await Assert.ThrowsAsync<DaprException>(() => anonymous.GetStateAsync<int>(Store, key));

        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(error.InnerException).StatusCode);
    }

    [Fact]
    public async Task GetStateAsync_WrongToken_Unauthenticated()
    {
        using var impostor = runtime.CreateClient(apiToken: "not-the-token");

        var error = await Assert.ThrowsAsync<DaprException>(() => impostor.GetStateAsync<int>(Store, "anything"));

        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(error.InnerException).StatusCode);
    }

    [Fact]
    public async Task PublishEventAsync_WithToken_TheAppsHandlerSavesStateWithItsOwnToken()
    {
        var id = NewId();

        await runtime.Client.PublishEventAsync(ComponentFiles.PubSub, "ledger", new LedgerEvent(id, 8));

        // The handler's DaprClient took DAPR_API_TOKEN from the app's environment; without it the save would be refused.
        await runtime.EventuallyAsync(async () => await runtime.Client.GetStateAsync<int>(Store, "seen-" + id) == 8, "the app to record the event");
    }

    [Fact]
    public async Task PublishEventAsync_WithoutToken_Unauthenticated()
    {
        using var anonymous = runtime.CreateClient(apiToken: null);

        var error = await Assert.ThrowsAsync<DaprException>(() => anonymous.PublishEventAsync(ComponentFiles.PubSub, "ledger", new LedgerEvent(NewId(), 1)));

        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(error.InnerException).StatusCode);
    }

    [Fact]
    public async Task CreateInvokeHttpClient_WithToken_Works_WithoutToken_401()
    {
        using var withToken = DaprClient.CreateInvokeHttpClient(runtime.AppId, runtime.HttpEndpoint, runtime.ApiToken);
        using var withoutToken = DaprClient.CreateInvokeHttpClient(runtime.AppId, runtime.HttpEndpoint);

        using var accepted = await withToken.PostAsJsonAsync("/echo", new LedgerEvent("t", 2));
        using var refused = await withoutToken.PostAsJsonAsync("/echo", new LedgerEvent("t", 2));

        Assert.Equal(new LedgerEvent("t", 4), await accepted.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<LedgerEvent>());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task CreateInvokeHttpClient_WithToken_TheAppSeesTheAppTokenNeverTheDaprToken()
    {
        using var withToken = DaprClient.CreateInvokeHttpClient(runtime.AppId, runtime.HttpEndpoint, runtime.ApiToken);

        var seen = await withToken.GetFromJsonAsync<Dictionary<string, string>>("/inspect");

        Assert.Equal(runtime.AppApiToken, seen!["dapr-api-token"]);
    }

    [Fact]
    public async Task AppEndpoints_CalledWithoutTheAppToken_RefusedByTheApp()
    {
        // What the runtime's calls get past: the app's own check (every other test of this pair goes through it).
        using var direct = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{runtime.AppPort}") };

        using var anonymous = await direct.GetAsync("/inspect");
        using var wrongToken = new HttpRequestMessage(HttpMethod.Get, "/dapr/config") { Headers = { { "dapr-api-token", runtime.ApiToken } } };
        using var refused = await direct.SendAsync(wrongToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task CheckHealthAsync_WithoutToken_HealthEndpointsStayOpen()
    {
        using var anonymous = runtime.CreateClient(apiToken: null);

        Assert.True(await anonymous.CheckHealthAsync());
        Assert.True(await anonymous.CheckOutboundHealthAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await anonymous.WaitForSidecarAsync(deadline.Token);
    }

    [Fact]
    public async Task GetMetadataAsync_WithoutToken_Unauthenticated()
    {
        using var anonymous = runtime.CreateClient(apiToken: null);

        var error = await Assert.ThrowsAsync<DaprException>(() => anonymous.GetMetadataAsync());

        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        Assert.Equal(runtime.AppId, (await runtime.Client.GetMetadataAsync()).Id);
    }

    [Fact]
    public async Task JsonRemotingProxy_WithToken_ActorStateSavedByTheAppWithItsToken()
    {
        var id = new ActorId("token-" + NewId());
        var ledger = runtime.Proxies.CreateActorProxy<ILedgerActor>(id, RuntimePair.ActorType, runtime.ProxyOptions(runtime.ApiToken, useJsonSerialization: true));

        Assert.Equal(2, await ledger.AddAsync(2));
        Assert.Equal(5, await ledger.AddAsync(3));

        Assert.Equal(5, await ledger.GetTotalAsync());
    }

    [Fact]
    public async Task JsonRemotingProxy_ActorCallsAnotherActor_TheAppsOwnProxyCarriesItsToken()
    {
        var (from, to) = ("token-" + NewId(), "token-" + NewId());
        var options = runtime.ProxyOptions(runtime.ApiToken, useJsonSerialization: true);
        await runtime.Proxies.CreateActorProxy<ILedgerActor>(new ActorId(from), RuntimePair.ActorType, options).AddAsync(9);

        Assert.Equal(4, await runtime.Proxies.CreateActorProxy<ILedgerActor>(new ActorId(from), RuntimePair.ActorType, options).TransferAsync(to, 5));

        Assert.Equal(5, await runtime.Proxies.CreateActorProxy<ILedgerActor>(new ActorId(to), RuntimePair.ActorType, options).GetTotalAsync());
    }

    [Fact]
    public async Task JsonRemotingProxy_ReminderRegisteredByTheAppWithItsToken_FiresWithItsData()
    {
        var id = new ActorId("token-" + NewId());
        var ledger = runtime.Proxies.CreateActorProxy<ILedgerActor>(id, RuntimePair.ActorType, runtime.ProxyOptions(runtime.ApiToken, useJsonSerialization: true));

        await ledger.ScheduleAsync("soon", "json", dueMilliseconds: 100, periodMilliseconds: 0);

        await runtime.EventuallyAsync(async () => (await ledger.FiredAsync()).Contains("soon:json"), "the reminder to fire");
    }

    [Fact]
    public async Task DataContractProxy_AgainstThisJsonRemotingHost_Fails()
    {
        // Both ends must agree on the remoting serializer: this shows the pair's app really runs JSON remoting.
        var ledger = runtime.Proxies.CreateActorProxy<ILedgerActor>(new ActorId("token-" + NewId()), RuntimePair.ActorType,
            runtime.ProxyOptions(runtime.ApiToken, useJsonSerialization: false));

        var error = await Assert.ThrowsAsync<ActorMethodInvocationException>(() => ledger.AddAsync(1));

        // The host read the DataContract body (binary XML) as JSON.
        Assert.Equal(typeof(System.Text.Json.JsonException).FullName, Assert.IsType<ActorInvokeException>(error.InnerException).ActualExceptionType);
    }

    [Fact]
    public async Task ActorProxy_WithoutToken_RefusedAsInvalidCredentials()
    {
        var id = new ActorId("token-" + NewId());
        var ledger = runtime.Proxies.CreateActorProxy<ILedgerActor>(id, RuntimePair.ActorType, runtime.ProxyOptions(apiToken: null, useJsonSerialization: true));

        // The SDK's actor client turns the runtime's 401 into an AuthenticationException.
        await Assert.ThrowsAsync<AuthenticationException>(() => ledger.AddAsync(1));
    }
}
