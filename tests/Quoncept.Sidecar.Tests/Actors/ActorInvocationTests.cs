using System.Net;
using System.Text;
using System.Text.Json;

namespace Quoncept.Sidecar.Tests.Actors;

public sealed class ActorInvocationTests : IAsyncLifetime
{
    private TestActorApp _host = null!;
    private ActorSidecarHarness _sidecar = null!;
    private HttpClient _caller = null!;

    public async Task InitializeAsync()
    {
        _host = await TestActorApp.StartAsync("hostapp", TestActorApp.ConfigFor("Counter", "Other"));
        // Instance 0: the host app; instance 1: an app without a port that only calls.
        _sidecar = await ActorSidecarHarness.StartAsync([_host, null], appIds: ["hostapp", "caller"]);
        await _sidecar.WaitForHostsAsync("Counter", 1);
        _caller = _sidecar.Client(1);
    }

    public async Task DisposeAsync()
    {
        _caller.Dispose();
        await _sidecar.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task Invoke_AnyVerb_ReachesAppAsPutAndReturnsItsAnswer(string verb)
    {
        using var request = new HttpRequestMessage(new HttpMethod(verb), "v1.0/actors/Counter/c-1/method/echo")
        {
            Content = new StringContent("{\"n\":1}", Encoding.UTF8, "application/json"),
        };
        using var response = await _caller.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"n\":1}", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var call = Assert.Single(_host.CallsOf("method"));
        Assert.Equal(("Counter", "c-1", "echo"), (call.Type, call.Id, call.Name));
    }

    [Fact]
    public async Task Invoke_HeadersAndQuery_PassedThroughWithTraceparent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1.0/actors/Counter/c-2/method/headers?x=1")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-test", "forwarded");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        using var response = await _caller.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("forwarded", json.RootElement.GetProperty("test").GetString());
        Assert.Equal("?x=1", json.RootElement.GetProperty("query").GetString());
        Assert.Contains("0af7651916cd43dd8448eb211c80319c", json.RootElement.GetProperty("traceparent").GetString());
    }

    [Fact]
    public async Task Invoke_UnknownActorType_Returns500ErrActorInvokeMethod()
    {
        using var response = await _caller.PostAsync("v1.0/actors/Nobody/1/method/echo", new StringContent("{}"));
        await AssertDaprError(response, HttpStatusCode.InternalServerError, "ERR_ACTOR_INVOKE_METHOD", "did not find address for actor Nobody/1");
    }

    [Fact]
    public async Task Invoke_AppFails_Returns500WithAppStatusAndBody()
    {
        using var response = await _caller.PostAsync("v1.0/actors/Counter/c-3/method/fail", new StringContent("{}"));
        await AssertDaprError(response, HttpStatusCode.InternalServerError, "ERR_ACTOR_INVOKE_METHOD", "error from actor service: (500) boom");
    }

    [Fact]
    public async Task Invoke_AppHasNoSuchMethod_Returns500MethodNotFound()
    {
        using var response = await _caller.PostAsync("v1.0/actors/Counter/c-3/method/missing", new StringContent("{}"));
        await AssertDaprError(response, HttpStatusCode.InternalServerError, "ERR_ACTOR_INVOKE_METHOD", "actor method not found");
    }

    [Fact]
    public async Task Invoke_AppSignalsActorError_HeaderAndBodyComeBackAsIs()
    {
        using var response = await _caller.PostAsync("v1.0/actors/Counter/c-4/method/actor-error", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Simulated error header", Assert.Single(response.Headers.GetValues("X-DaprErrorResponseHeader")));
        Assert.Equal("{\"message\":\"bad things\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_SameActorConcurrently_OneAtATimeInArrivalOrder()
    {
        // The first call holds the turn; the next ones queue one after the other, in a known order.
        var first = _caller.PostAsync("v1.0/actors/Counter/turns/method/gate", new StringContent("{}"));
        await WaitUntil(() => _sidecar.Activations.Find(new("Counter", "turns")) is { } a && a.Turn.IsBusy);
        var actor = _sidecar.Activations.Find(new("Counter", "turns"))!;
        var queued = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < 20; i++)
        {
            queued.Add(_caller.PostAsync("v1.0/actors/Counter/turns/method/echo", new StringContent(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            var expected = i + 1;
            await WaitUntil(() => actor.Turn.Pending == expected);
        }
        _host.Gate.SetResult();
        var responses = await Task.WhenAll(queued.Prepend(first));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = _host.CallsOf("method").Where(c => c.Id == "turns" && c.Name == "echo").Select(c => c.Body).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), bodies);
        Assert.Equal(1, _host.MaxConcurrentCallsPerActor);
    }

    [Fact]
    public async Task Invoke_ManyActorsUnderLoad_NeverTwoCallsOnOneActorButActorsRunInParallel()
    {
        var calls = Enumerable.Range(0, 120).Select(i =>
            _caller.PostAsync($"v1.0/actors/Counter/load-{i % 6}/method/sleep", new StringContent("15"))).ToArray();
        var responses = await Task.WhenAll(calls);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, _host.MaxConcurrentCallsPerActor);
        Assert.True(_host.MaxConcurrentCallsOverall > 1, "different actors should not wait for each other");
    }

    [Fact]
    public async Task Invoke_ReentrantCallWithoutReentrancy_WaitsForItsOwnTurn()
    {
        // Without reentrancy an actor calling itself would deadlock in daprd too: show it waits (bounded here).
        using var client = _sidecar.Client(1);
        client.Timeout = TimeSpan.FromSeconds(1);
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() =>
            client.PostAsync("v1.0/actors/Counter/self/method/reenter", new StringContent("{}")));
    }

    [Fact]
    public async Task Metadata_HostSidecar_ListsActiveActorsByType()
    {
        using (var call = await _caller.PostAsync("v1.0/actors/Counter/m-1/method/echo", new StringContent("{}")))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }
        using var host = _sidecar.Client(0);
        using var json = JsonDocument.Parse(await host.GetStringAsync("v1.0/metadata"));
        var runtime = json.RootElement.GetProperty("actorRuntime");
        Assert.True(runtime.GetProperty("hostReady").GetBoolean());
        var counts = runtime.GetProperty("activeActors").EnumerateArray().ToDictionary(e => e.GetProperty("type").GetString()!, e => e.GetProperty("count").GetInt32());
        Assert.Equal(1, counts["Counter"]);
        Assert.Equal(0, counts["Other"]);
        using var callerMetadata = JsonDocument.Parse(await _caller.GetStringAsync("v1.0/metadata"));
        Assert.False(callerMetadata.RootElement.GetProperty("actorRuntime").GetProperty("hostReady").GetBoolean());
    }

    internal static async Task AssertDaprError(HttpResponseMessage response, HttpStatusCode status, string errorCode, string messagePart)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        Assert.Equal(errorCode, json.RootElement.GetProperty("errorCode").GetString());
        Assert.Contains(messagePart, json.RootElement.GetProperty("message").GetString());
    }

    internal static async Task WaitUntil(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met in time");
            }
            await Task.Delay(5);
        }
    }
}
