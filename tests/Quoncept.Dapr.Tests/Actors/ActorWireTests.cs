using System.Net;
using System.Text;
using System.Text.Json;
using Quoncept.Dapr.Actors;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Actors.Runtime;
using Quoncept.Dapr.Tests.Support;

namespace Quoncept.Dapr.Tests.Actors;

/// <summary>
/// What the actor side sends to the sidecar, against https://docs.dapr.io/reference/api/actors_api/:
/// method invocation, state get and transaction, reminders and timers.
/// </summary>
public sealed class ActorWireTests : IDisposable
{
    private readonly RecordingHandler _sidecar = new();
    private readonly DaprSidecar _connection;

    public ActorWireTests()
    {
        var builder = new DaprClientBuilder().UseHttpEndpoint("http://127.0.0.1:3599").UseDaprApiToken("secret").UseHttpMessageHandler(_sidecar);
        _connection = builder.BuildSidecar();
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task Proxy_TypedCall_PutJsonArgumentReadsJsonResult()
    {
        _sidecar.Respond(HttpStatusCode.OK, "12");
        var factory = new ActorProxyFactory(new DaprHttpActorInvoker(_connection), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var proxy = factory.CreateActorProxy<ICounterActor>(new ActorId("c1"), "CounterActor");

        Assert.Equal(12, await proxy.IncrementAsync(5));
        var r = _sidecar.Last;
        Assert.Equal("PUT", r.Method);
        Assert.Equal("/v1.0/actors/CounterActor/c1/method/IncrementAsync", r.PathAndQuery);
        Assert.Equal("secret", r.Header("dapr-api-token"));
        Assert.StartsWith("application/json", r.Header("Content-Type"));
        Assert.Equal("5", r.Body);
    }

    [Fact]
    public async Task Proxy_RecordArgument_CamelCaseJson()
    {
        _sidecar.Respond(HttpStatusCode.OK, "");
        var factory = new ActorProxyFactory(new DaprHttpActorInvoker(_connection), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        await factory.CreateActorProxy<ICounterActor>(new ActorId("c1"), "CounterActor").RemindMeAsync(new ReminderRequest("n", "p", TimeSpan.FromSeconds(1), TimeSpan.Zero));
        JsonAssert.Equal("""{"name":"n","payload":"p","dueTime":"00:00:01","period":"00:00:00"}""", _sidecar.Last.Body);
    }

    [Fact]
    public async Task Proxy_HostErrorPassedThrough_ActorMethodInvocationException()
    {
        _sidecar.Respond(HttpStatusCode.InternalServerError,
            """{"errorCode":"ERR_ACTOR_INVOKE_METHOD","message":"refusing 9","exceptionType":"System.InvalidOperationException","actorType":"CounterActor","actorId":"c1","method":"SetThenFailAsync"}""");
        var proxy = new ActorProxyFactory(new DaprHttpActorInvoker(_connection), new JsonSerializerOptions()).CreateActorProxy<ICounterActor>(new ActorId("c1"), "CounterActor");
        var ex = await Assert.ThrowsAsync<ActorMethodInvocationException>(() => proxy.SetThenFailAsync(9));
        Assert.Equal("refusing 9", ex.Message);
        Assert.Equal("System.InvalidOperationException", ex.RemoteExceptionType);
        Assert.Equal("ERR_ACTOR_INVOKE_METHOD", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
    }

    [Fact]
    public async Task Proxy_DaprdWrappedError_InnerMessageRecovered()
    {
        var inner = """{"errorCode":"ERR_ACTOR_INVOKE_METHOD","message":"refusing 9","exceptionType":"System.InvalidOperationException"}""";
        _sidecar.Respond(HttpStatusCode.InternalServerError,
            JsonSerializer.Serialize(new { errorCode = "ERR_ACTOR_INVOKE_METHOD", message = "error invoke actor method: error from actor service: " + inner }));
        var proxy = new ActorProxyFactory(new DaprHttpActorInvoker(_connection), new JsonSerializerOptions()).CreateActorProxy<ICounterActor>(new ActorId("c1"), "CounterActor");
        var ex = await Assert.ThrowsAsync<ActorMethodInvocationException>(() => proxy.SetThenFailAsync(9));
        Assert.Equal("refusing 9", ex.Message);
        Assert.Equal("System.InvalidOperationException", ex.RemoteExceptionType);
    }

    [Fact]
    public async Task Proxy_SidecarErrorWithoutHostBody_MessageKept()
    {
        _sidecar.Respond(HttpStatusCode.InternalServerError, """{"errorCode":"ERR_ACTOR_RUNTIME_NOT_FOUND","message":"actor runtime is not configured"}""");
        var proxy = new ActorProxyFactory(new DaprHttpActorInvoker(_connection), new JsonSerializerOptions()).CreateActorProxy<ICounterActor>(new ActorId("c1"), "CounterActor");
        var ex = await Assert.ThrowsAsync<ActorMethodInvocationException>(() => proxy.GetAsync());
        Assert.Equal("ERR_ACTOR_RUNTIME_NOT_FOUND", ex.ErrorCode);
        Assert.Equal("actor runtime is not configured", ex.Message);
    }

    [Fact]
    public async Task StateProvider_Load_GetStatePath()
    {
        _sidecar.Respond(HttpStatusCode.OK, """{"a":1}""");
        _sidecar.Respond(HttpStatusCode.NoContent);
        var provider = new DaprHttpActorStateProvider(_connection);
        Assert.Equal("""{"a":1}""", Encoding.UTF8.GetString((await provider.TryLoadStateAsync("T", "i 1", "k", default))!));
        Assert.Null(await provider.TryLoadStateAsync("T", "i 1", "missing", default));
        Assert.Equal("GET", _sidecar.Requests[0].Method);
        Assert.Equal("/v1.0/actors/T/i%201/state/k", _sidecar.Requests[0].PathAndQuery);
    }

    [Fact]
    public async Task StateProvider_Save_OneDocumentedTransaction()
    {
        var provider = new DaprHttpActorStateProvider(_connection);
        await provider.SaveStateAsync("T", "1", [new ActorStateChange("a", """{"x":[1,2]}"""u8.ToArray()), new ActorStateChange("b", null)], default);
        var r = _sidecar.Last;
        Assert.Equal("PUT", r.Method);
        Assert.Equal("/v1.0/actors/T/1/state", r.PathAndQuery);
        Assert.Equal("secret", r.Header("dapr-api-token"));
        JsonAssert.Equal("""
            [{"operation":"upsert","request":{"key":"a","value":{"x":[1,2]}}},
             {"operation":"delete","request":{"key":"b"}}]
            """, r.Body);
    }

    [Fact]
    public async Task StateProvider_SidecarError_DaprApiException()
    {
        _sidecar.Respond(HttpStatusCode.InternalServerError, """{"errorCode":"ERR_ACTOR_STATE_TRANSACTION_SAVE","message":"store down"}""");
        var ex = await Assert.ThrowsAsync<DaprApiException>(() => new DaprHttpActorStateProvider(_connection).SaveStateAsync("T", "1", [new ActorStateChange("a", "1"u8.ToArray())], default));
        Assert.Equal("ERR_ACTOR_STATE_TRANSACTION_SAVE", ex.ErrorCode);
    }

    [Fact]
    public async Task Reminder_Register_DocumentedBody()
    {
        var timers = new DaprHttpActorTimerManager(_connection);
        await timers.RegisterReminderAsync(new ActorReminder("T", new ActorId("1"), "grace", "hi"u8.ToArray(), TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(1500), null), default);
        var r = _sidecar.Last;
        Assert.Equal("PUT", r.Method);
        Assert.Equal("/v1.0/actors/T/1/reminders/grace", r.PathAndQuery);
        JsonAssert.Equal("""{"dueTime":"0h1m30s0ms","period":"0h0m1s500ms","data":"aGk="}""", r.Body);
    }

    [Fact]
    public async Task Reminder_OneShot_NoPeriod_AndUnregisterDeletes()
    {
        var timers = new DaprHttpActorTimerManager(_connection);
        await timers.RegisterReminderAsync(new ActorReminder("T", new ActorId("1"), "once", [], TimeSpan.Zero, Timeout.InfiniteTimeSpan, TimeSpan.FromMinutes(5)), default);
        JsonAssert.Equal("""{"dueTime":"0h0m0s0ms","ttl":"0h5m0s0ms"}""", _sidecar.Last.Body);
        await timers.UnregisterReminderAsync("T", new ActorId("1"), "once", default);
        Assert.Equal("DELETE", _sidecar.Last.Method);
        Assert.Equal("/v1.0/actors/T/1/reminders/once", _sidecar.Last.PathAndQuery);
    }

    [Fact]
    public async Task Reminder_Get_ParsesDurationsAndData()
    {
        _sidecar.Respond(HttpStatusCode.OK, """{"dueTime":"1m","period":"PT30S","data":"aGk="}""");
        var reminder = await new DaprHttpActorTimerManager(_connection).GetReminderAsync("T", new ActorId("1"), "r", default);
        Assert.NotNull(reminder);
        Assert.Equal(TimeSpan.FromMinutes(1), reminder.DueTime);
        Assert.Equal(TimeSpan.FromSeconds(30), reminder.Period);
        Assert.Equal("hi", Encoding.UTF8.GetString(reminder.State));
        Assert.Equal("GET", _sidecar.Last.Method);
    }

    [Fact]
    public async Task Timer_Register_DocumentedBodyAndUnregister()
    {
        var timers = new DaprHttpActorTimerManager(_connection);
        await timers.RegisterTimerAsync(new ActorTimer("T", new ActorId("1"), "tick", "OnTickAsync", "t"u8.ToArray(), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(7), null), default);
        var r = _sidecar.Last;
        Assert.Equal("PUT", r.Method);
        Assert.Equal("/v1.0/actors/T/1/timers/tick", r.PathAndQuery);
        JsonAssert.Equal("""{"dueTime":"0h0m3s0ms","period":"0h0m7s0ms","callback":"OnTickAsync","data":"dA=="}""", r.Body);
        await timers.UnregisterTimerAsync("T", new ActorId("1"), "tick", default);
        Assert.Equal("DELETE", _sidecar.Last.Method);
        Assert.Equal("/v1.0/actors/T/1/timers/tick", _sidecar.Last.PathAndQuery);
    }

    [Theory]
    [InlineData("1h2m3s4ms", 3723004)]
    [InlineData("0h0m0s0ms", 0)]
    [InlineData("2h30m", 9000000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1500)]
    [InlineData("PT2H30M", 9000000)]
    [InlineData("R5/PT1M30S", 90000)]
    [InlineData("P1DT1S", 86401000)]
    [InlineData("", 0)]
    public void DaprDuration_Parse_GoAndIso(string text, long milliseconds)
    {
        Assert.True(DaprDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("5")]
    [InlineData("1x")]
    [InlineData("-1s")]
    public void DaprDuration_Parse_RejectsGarbage(string text) => Assert.False(DaprDuration.TryParse(text, out _));

    [Fact]
    public void DaprDuration_Format_GoForm() => Assert.Equal("26h1m2s3ms", DaprDuration.Format(new TimeSpan(1, 2, 1, 2, 3)));
}
