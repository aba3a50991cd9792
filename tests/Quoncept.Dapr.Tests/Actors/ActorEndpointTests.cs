using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quoncept.Dapr.Actors;
using Quoncept.Dapr.Actors.Runtime;
using Quoncept.Dapr.Tests.Support;

namespace Quoncept.Dapr.Tests.Actors;

/// <summary>The app-callback side (https://docs.dapr.io/reference/api/actors_api/#dapr-calling-to-user-service-code), driven as the sidecar drives it.</summary>
public sealed class ActorEndpointTests : IAsyncLifetime
{
    private readonly RecordingHandler _sidecar = new();
    private readonly CallLog _log = new();
    private InMemoryApp _app = null!;

    public async Task InitializeAsync() => _app = await StartAsync(appApiToken: null);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<InMemoryApp> StartAsync(string? appApiToken) => await InMemoryApp.StartAsync(
        services =>
        {
            services.AddSingleton(_log);
            services.AddSingleton(new DaprClientBuilder().UseHttpEndpoint("http://127.0.0.1:3599").UseHttpMessageHandler(_sidecar).Build());
            services.TryAddSingleton(_ => new DaprClientBuilder().UseHttpEndpoint("http://127.0.0.1:3599").UseHttpMessageHandler(_sidecar).BuildSidecar());
            services.AddActors(o =>
            {
                o.Actors.Register<CounterActor>();
                o.Actors.Register<MailboxActor>("mailbox");
                o.ActorIdleTimeout = TimeSpan.FromMinutes(10);
                o.ActorScanInterval = TimeSpan.FromSeconds(5);
                o.DrainOngoingCallTimeout = TimeSpan.FromSeconds(15);
                o.AppApiToken = appApiToken;
            });
        },
        app => app.MapActorsHandlers());

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task GetConfig_ListsEntitiesAndTimeouts()
    {
        var body = await _app.Client.GetStringAsync("/dapr/config");
        JsonAssert.Equal("""
            {"entities":["CounterActor","mailbox"],"actorIdleTimeout":"0h10m0s0ms","actorScanInterval":"0h0m5s0ms",
             "drainOngoingCallTimeout":"0h0m15s0ms","drainRebalancedActors":true,"reentrancy":{"enabled":false}}
            """, body);
    }

    [Fact]
    public async Task PutMethod_RunsActorAndSavesStateThroughSidecar()
    {
        _sidecar.Respond(HttpStatusCode.NoContent); // GET state "count": absent
        var response = await _app.Client.PutAsync("/actors/CounterActor/a/method/IncrementAsync", Json("4"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("4", await response.Content.ReadAsStringAsync());
        Assert.Equal(["GET /v1.0/actors/CounterActor/a/state/count", "PUT /v1.0/actors/CounterActor/a/state"], _sidecar.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        JsonAssert.Equal("""[{"operation":"upsert","request":{"key":"count","value":4}}]""", _sidecar.Last.Body);
    }

    [Fact]
    public async Task PutMethod_ActorThrows_500ErrorBodyAndNoSave()
    {
        var response = await _app.Client.PutAsync("/actors/CounterActor/a/method/SetThenFailAsync", Json("1"));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        JsonAssert.Equal("""
            {"errorCode":"ERR_ACTOR_INVOKE_METHOD","message":"refusing 1","exceptionType":"System.InvalidOperationException",
             "actorType":"CounterActor","actorId":"a","method":"SetThenFailAsync"}
            """, await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(_sidecar.Requests, r => r.Method == "PUT");
    }

    [Theory]
    [InlineData("/actors/Nope/a/method/GetAsync", "1", HttpStatusCode.NotFound, "ERR_ACTOR_TYPE_NOT_FOUND")]
    [InlineData("/actors/CounterActor/a/method/Nope", "1", HttpStatusCode.NotFound, "ERR_ACTOR_METHOD_NOT_FOUND")]
    [InlineData("/actors/CounterActor/a/method/IncrementAsync", "\"seven\"", HttpStatusCode.BadRequest, "ERR_ACTOR_ARGUMENT_INVALID")]
    [InlineData("/actors/CounterActor/a/method/IncrementAsync", "{not json", HttpStatusCode.BadRequest, "ERR_ACTOR_ARGUMENT_INVALID")]
    [InlineData("/actors/CounterActor/a/method/remind/r", "{\"dueTime\":\"soon\"}", HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST")]
    [InlineData("/actors/CounterActor/a/method/remind/r", "[1]", HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST")]
    [InlineData("/actors/CounterActor/a/method/timer/t", "{}", HttpStatusCode.BadRequest, "ERR_ACTOR_TIMER_CALLBACK_MISSING")]
    [InlineData("/actors/CounterActor/a/method/timer/t", "{\"callback\":\"Nope\"}", HttpStatusCode.NotFound, "ERR_ACTOR_TIMER_CALLBACK_NOT_FOUND")]
    [InlineData("/actors/mailbox/a/method/remind/r", "{}", HttpStatusCode.BadRequest, "ERR_ACTOR_NOT_REMINDABLE")]
    public async Task PutMethod_BadRequests_ClearErrors(string path, string body, HttpStatusCode status, string errorCode)
    {
        var response = await _app.Client.PutAsync(path, Json(body));
        Assert.Equal(status, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(errorCode, doc.RootElement.GetProperty("errorCode").GetString());
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task PutRemind_DeliversDataAndSchedule()
    {
        _sidecar.Respond(HttpStatusCode.NoContent); // GET reminders state: absent
        var response = await _app.Client.PutAsync("/actors/CounterActor/a/method/remind/grace",
            Json("""{"data":"cGF5bG9hZA==","dueTime":"0h0m30s0ms","period":"0h1m0s0ms"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("remind a grace", _log.Entries);
        JsonAssert.Equal("""[{"operation":"upsert","request":{"key":"reminders","value":["grace:payload"]}}]""", _sidecar.Last.Body);
    }

    [Fact]
    public async Task PutTimer_CallsNamedCallbackWithData()
    {
        _sidecar.Respond(HttpStatusCode.OK, "2"); // GET count
        var response = await _app.Client.PutAsync("/actors/CounterActor/a/method/timer/tick",
            Json("""{"callback":"OnTickAsync","data":"eHk=","dueTime":"1s","period":"1s"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("tick a xy", _log.Entries);
        JsonAssert.Equal("""[{"operation":"upsert","request":{"key":"count","value":3}}]""", _sidecar.Last.Body);
    }

    [Fact]
    public async Task Delete_DeactivatesActiveActor()
    {
        var runtime = _app.Services.GetRequiredService<ActorRuntime>();
        await _app.Client.PutAsync("/actors/CounterActor/a/method/EchoAsync", Json("\"x\""));
        Assert.True(runtime.IsActive("CounterActor", "a"));
        var response = await _app.Client.DeleteAsync("/actors/CounterActor/a");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(runtime.IsActive("CounterActor", "a"));
        Assert.Equal(["activate a", "deactivate a"], _log.Entries);
    }

    [Fact]
    public async Task Healthz_Ok()
    {
        var response = await _app.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AppApiToken_Set_WrongOrMissingToken401()
    {
        await using var app = await StartAsync(appApiToken: "app-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.GetAsync("/dapr/config")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dapr/config");
        request.Headers.Add("dapr-api-token", "app-secret");
        Assert.Equal(HttpStatusCode.OK, (await app.Client.SendAsync(request)).StatusCode);
    }
}
