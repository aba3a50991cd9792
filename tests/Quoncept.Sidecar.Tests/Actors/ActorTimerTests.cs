using System.Net;
using System.Text;
using System.Text.Json;

namespace Quoncept.Sidecar.Tests.Actors;

public sealed class ActorTimerTests : IAsyncLifetime
{
    private TestActorApp _host = null!;
    private ActorSidecarHarness _sidecar = null!;
    private HttpClient _hostSidecar = null!;

    public async Task InitializeAsync()
    {
        _host = await TestActorApp.StartAsync("hostapp", TestActorApp.ConfigFor("Clock"));
        _sidecar = await ActorSidecarHarness.StartAsync([_host]);
        await _sidecar.WaitForHostsAsync("Clock", 1);
        _hostSidecar = _sidecar.Client(0);
    }

    public async Task DisposeAsync()
    {
        _hostSidecar.Dispose();
        await _sidecar.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Timer_Repetitions_FiresThatManyTimesWithCallbackBody()
    {
        await ActivateAsync("t1");
        using var created = await _hostSidecar.PostAsync("v1.0/actors/Clock/t1/timers/tick",
            Json("""{"dueTime":"0h0m0s50ms","period":"R3/PT1S","callback":"onTick","data":{"n":7}}"""));
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        var first = await _host.WaitForAsync(c => c.Kind == "timer" && c.Id == "t1");
        Assert.Equal("tick", first.Name);
        using var body = JsonDocument.Parse(first.Body);
        Assert.Equal("onTick", body.RootElement.GetProperty("callback").GetString());
        Assert.Equal(7, body.RootElement.GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal("0h0m0s50ms", body.RootElement.GetProperty("dueTime").GetString());
        Assert.Equal("R3/PT1S", body.RootElement.GetProperty("period").GetString());
        await ActorInvocationTests.WaitUntil(() => _host.CallsOf("timer").Count() == 3, 8000);
        await Task.Delay(1300);
        Assert.Equal(3, _host.CallsOf("timer").Count());
    }

    [Fact]
    public async Task Timer_Deleted_StopsFiring()
    {
        await ActivateAsync("t2");
        using var created = await _hostSidecar.PostAsync("v1.0/actors/Clock/t2/timers/fast", Json("""{"dueTime":"0s","period":"100ms"}"""));
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        await ActorInvocationTests.WaitUntil(() => _host.CallsOf("timer").Count() >= 2);
        using var deleted = await _hostSidecar.DeleteAsync("v1.0/actors/Clock/t2/timers/fast");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Task.Delay(150);
        var count = _host.CallsOf("timer").Count();
        await Task.Delay(500);
        Assert.Equal(count, _host.CallsOf("timer").Count());
    }

    [Fact]
    public async Task Timer_DeletedByTheActorInItsOwnCallback_CallbackRunsToItsEndHoldingTheTurn()
    {
        await ActivateAsync("t4");
        _host.OnCallback = async (kind, _, id, _) =>
        {
            if (kind != "timer" || id != "t4") return;
            using var deleted = await _hostSidecar.DeleteAsync("v1.0/actors/Clock/t4/timers/self");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            // A call to the same actor now must wait for this callback's turn to end.
            _ = _hostSidecar.PutAsync("v1.0/actors/Clock/t4/method/echo", Json("\"after\""));
            await Task.Delay(500);
        };
        var before = _host.Calls.Count(c => c.Id == "t4");
        using var created = await _hostSidecar.PostAsync("v1.0/actors/Clock/t4/timers/self", Json("""{"dueTime":"100ms","period":"1s"}"""));
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);

        await ActorInvocationTests.WaitUntil(() => _host.Calls.Count(c => c.Kind == "method" && c.Id == "t4") >= 2);

        Assert.Empty(_host.AbortedCallbacks);
        Assert.Equal(["timer", "method"], _host.Calls.Where(c => c.Id == "t4").Skip(before).Select(c => c.Kind));
        await Task.Delay(1200);
        Assert.Single(_host.CallsOf("timer"), c => c.Id == "t4");
    }

    [Fact]
    public async Task Timer_ActorNotActive_500TimerCreate()
    {
        using var response = await _hostSidecar.PostAsync("v1.0/actors/Clock/never-called/timers/x", Json("""{"dueTime":"1s"}"""));
        await ActorInvocationTests.AssertDaprError(response, HttpStatusCode.InternalServerError, "ERR_ACTOR_TIMER_CREATE", "actor not activated");
    }

    [Theory]
    [InlineData("""{"dueTime":"soon"}""", "dueTime 'soon'")]
    [InlineData("""{"period":"every second"}""", "period 'every second'")]
    [InlineData("""{"period":"R0/PT1S"}""", "zero repetitions")]
    [InlineData("""{"dueTime":5}""", "dueTime must be a string")]
    [InlineData("""{"dueTime":"1s","ttl":"2000-01-01T00:00:00Z","period":"1s"}""", "ttl '2000-01-01T00:00:00Z' ends before the due time")]
    [InlineData("""[1]""", "expected a JSON object")]
    [InlineData("""{"dueTime":""", "failed deserializing")]
    public async Task Timer_BadBody_400MalformedRequest(string body, string messagePart)
    {
        await ActivateAsync("t3");
        using var response = await _hostSidecar.PostAsync("v1.0/actors/Clock/t3/timers/bad", Json(body));
        await ActorInvocationTests.AssertDaprError(response, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", messagePart);
    }

    private async Task ActivateAsync(string id)
    {
        using var response = await _hostSidecar.PostAsync($"v1.0/actors/Clock/{id}/method/echo", Json("{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
