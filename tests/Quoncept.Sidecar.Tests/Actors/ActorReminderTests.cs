using System.Net;
using System.Text;
using System.Text.Json;

namespace Quoncept.Sidecar.Tests.Actors;

public sealed class ActorReminderTests : IAsyncLifetime
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"actors-reminders-{Guid.NewGuid():N}.db");
    private TestActorApp _host = null!;
    private ActorSidecarHarness _sidecar = null!;
    private HttpClient _hostSidecar = null!;

    public async Task InitializeAsync()
    {
        _host = await TestActorApp.StartAsync("hostapp", TestActorApp.ConfigFor("Session"));
        _sidecar = await StartSidecarAsync();
        _hostSidecar = _sidecar.Client(0);
    }

    public async Task DisposeAsync()
    {
        _hostSidecar.Dispose();
        await _sidecar.DisposeAsync();
        await _host.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_database)!, Path.GetFileName(_database) + "*"))
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Reminder_Created_FiresWithDataAndCanBeRead()
    {
        using var created = await _hostSidecar.PostAsync("v1.0/actors/Session/alice/reminders/grace",
            Json("""{"dueTime":"0h0m0s100ms","period":"","data":{"connection":"c-1"}}"""));
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);

        var fired = await _host.WaitForAsync(c => c.Kind == "remind" && c.Id == "alice");
        Assert.Equal("grace", fired.Name);
        using var body = JsonDocument.Parse(fired.Body);
        Assert.Equal("c-1", body.RootElement.GetProperty("data").GetProperty("connection").GetString());
        Assert.Equal("0h0m0s100ms", body.RootElement.GetProperty("dueTime").GetString());
        Assert.Equal("", body.RootElement.GetProperty("period").GetString());

        // A one-shot reminder is gone after it fired.
        await ActorInvocationTests.WaitUntil(() => GetStatus("alice", "grace") == HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reminder_Get_ReturnsWhatWasRegistered()
    {
        using var created = await _hostSidecar.PutAsync("v1.0/actors/Session/bob/reminders/later",
            Json("""{"dueTime":"1h","period":"R5/PT10M","data":"someData"}"""));
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        using var get = await _hostSidecar.GetAsync("v1.0/actors/Session/bob/reminders/later");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        using var json = JsonDocument.Parse(await get.Content.ReadAsStringAsync());
        Assert.Equal("1h", json.RootElement.GetProperty("dueTime").GetString());
        Assert.Equal("R5/PT10M", json.RootElement.GetProperty("period").GetString());
        Assert.Equal("someData", json.RootElement.GetProperty("data").GetString());
        Assert.Equal("bob", json.RootElement.GetProperty("actorID").GetString());
        Assert.Equal("Session", json.RootElement.GetProperty("actorType").GetString());
    }

    [Fact]
    public async Task Reminder_Repetitions_FiresExactlyThatOftenThenIsGone()
    {
        using var valid = await _hostSidecar.PostAsync("v1.0/actors/Session/carol/reminders/twice", Json("""{"dueTime":"0s","period":"R2/PT1S"}"""));
        Assert.Equal(HttpStatusCode.NoContent, valid.StatusCode);
        await ActorInvocationTests.WaitUntil(() => _host.CallsOf("remind").Count(c => c.Id == "carol") == 2, 8000);
        await ActorInvocationTests.WaitUntil(() => GetStatus("carol", "twice") == HttpStatusCode.NotFound);
        await Task.Delay(1200);
        Assert.Equal(2, _host.CallsOf("remind").Count(c => c.Id == "carol"));
    }

    [Fact]
    public async Task Reminder_Deleted_NeverFires()
    {
        using var created = await _hostSidecar.PostAsync("v1.0/actors/Session/dave/reminders/r", Json("""{"dueTime":"700ms"}"""));
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        using var deleted = await _hostSidecar.DeleteAsync("v1.0/actors/Session/dave/reminders/r");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, GetStatus("dave", "r"));
        await Task.Delay(1200);
        Assert.DoesNotContain(_host.CallsOf("remind"), c => c.Id == "dave");
    }

    [Fact]
    public async Task Reminder_DeletedByTheActorInItsOwnCallback_CallbackRunsToItsEndHoldingTheTurn()
    {
        // As the session actor does when its grace period ends: the callback removes its own reminder, then goes on.
        _host.OnCallback = async (_, _, id, _) =>
        {
            if (id != "erin") return;
            using var deleted = await _hostSidecar.DeleteAsync("v1.0/actors/Session/erin/reminders/self");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            // A call to the same actor now must wait for this callback's turn to end.
            _ = _hostSidecar.PutAsync("v1.0/actors/Session/erin/method/echo", Json("\"after\""));
            await Task.Delay(500);
        };
        using var created = await _hostSidecar.PostAsync("v1.0/actors/Session/erin/reminders/self", Json("""{"dueTime":"100ms","period":"1s"}"""));
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);

        await ActorInvocationTests.WaitUntil(() => _host.Calls.Any(c => c.Kind == "method" && c.Id == "erin"));

        Assert.Empty(_host.AbortedCallbacks);
        var erin = _host.Calls.Where(c => c.Id == "erin").Select(c => c.Kind).ToList();
        Assert.Equal(["remind", "method"], erin);
        Assert.Equal(HttpStatusCode.NotFound, GetStatus("erin", "self"));
        await Task.Delay(1200);
        Assert.Single(_host.CallsOf("remind"), c => c.Id == "erin");
    }

    [Fact]
    public async Task Reminder_SurvivesRuntimeRestart_FiresFromTheSameDatabase()
    {
        using (var created = await _hostSidecar.PostAsync("v1.0/actors/Session/erin/reminders/persisted",
            Json("""{"dueTime":"2s","period":"1s","data":{"v":1}}""")))
        {
            Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        }
        // Stop the runtime before the reminder is due; a new runtime on the same SQLite file takes over.
        _hostSidecar.Dispose();
        await _sidecar.DisposeAsync();
        Assert.DoesNotContain(_host.CallsOf("remind"), c => c.Id == "erin");

        _sidecar = await StartSidecarAsync();
        _hostSidecar = _sidecar.Client(0);
        var fired = await _host.WaitForAsync(c => c.Kind == "remind" && c.Id == "erin" && c.Name == "persisted", TimeSpan.FromSeconds(10));
        using var body = JsonDocument.Parse(fired.Body);
        Assert.Equal(1, body.RootElement.GetProperty("data").GetProperty("v").GetInt32());
        Assert.Equal(HttpStatusCode.OK, GetStatus("erin", "persisted"));
        await ActorInvocationTests.WaitUntil(() => _host.CallsOf("remind").Count(c => c.Id == "erin") >= 2, 8000);
    }

    [Fact]
    public async Task Reminder_FromAppNotHostingType_403NonHosted()
    {
        await using var caller = await ActorSidecarHarness.StartAsync([null], appIds: ["caller"]);
        using var client = caller.Client(0);
        using var response = await client.PostAsync("v1.0/actors/Session/x/reminders/r", Json("""{"dueTime":"1s"}"""));
        await ActorInvocationTests.AssertDaprError(response, HttpStatusCode.Forbidden, "ERR_ACTOR_REMINDER_NON_HOSTED", "only possible on hosted actor types");
    }

    [Theory]
    [InlineData("""{"dueTime":"1s","period":"often"}""", "period 'often'")]
    [InlineData("""{"dueTime":"R2/PT1S"}""", "repetitions are not allowed")]
    [InlineData("""{"dueTime":"1s","period":"-1s"}""", "negative")]
    [InlineData("""{"dueTime":"1s""", "failed deserializing HTTP body")]
    [InlineData("", "the body is empty")]
    public async Task Reminder_BadBody_400AndNotSaved(string body, string messagePart)
    {
        using var response = await _hostSidecar.PostAsync("v1.0/actors/Session/bad/reminders/r", Json(body));
        await ActorInvocationTests.AssertDaprError(response, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", messagePart);
        Assert.Equal(HttpStatusCode.NotFound, GetStatus("bad", "r"));
    }

    private HttpStatusCode GetStatus(string id, string name)
    {
        using var response = _hostSidecar.GetAsync($"v1.0/actors/Session/{id}/reminders/{name}").GetAwaiter().GetResult();
        return response.StatusCode;
    }

    private async Task<ActorSidecarHarness> StartSidecarAsync()
    {
        var sidecar = await ActorSidecarHarness.StartAsync([_host], _database);
        await sidecar.WaitForHostsAsync("Session", 1);
        return sidecar;
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
