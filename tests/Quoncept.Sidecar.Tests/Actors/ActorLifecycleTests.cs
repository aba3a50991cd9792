using System.Net;
using System.Text;
using System.Text.Json;

namespace Quoncept.Sidecar.Tests.Actors;

public sealed class ActorLifecycleTests
{
    [Fact]
    public async Task IdleActor_DeactivatedAfterIdleTimeout_AndReactivatedByNextCall()
    {
        await using var host = await TestActorApp.StartAsync("hostapp",
            """{"entities":["Idler"],"actorIdleTimeout":"400ms","actorScanInterval":"100ms"}""");
        await using var sidecar = await ActorSidecarHarness.StartAsync([host]);
        await sidecar.WaitForHostsAsync("Idler", 1);
        using var client = sidecar.Client(0);

        using (var first = await client.PostAsync("v1.0/actors/Idler/i1/method/echo", Json("1")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        Assert.Equal(1, sidecar.Activations.Count);
        await host.WaitForAsync(c => c.Kind == "deactivate" && c.Id == "i1", TimeSpan.FromSeconds(5));
        await ActorInvocationTests.WaitUntil(() => sidecar.Activations.Count == 0);

        using (var again = await client.PostAsync("v1.0/actors/Idler/i1/method/echo", Json("2")))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        Assert.Equal(1, sidecar.Activations.Count);
    }

    [Fact]
    public async Task BusyActor_NotDeactivatedWhileACallRuns()
    {
        await using var host = await TestActorApp.StartAsync("hostapp",
            """{"entities":["Idler"],"actorIdleTimeout":"200ms","actorScanInterval":"50ms"}""");
        await using var sidecar = await ActorSidecarHarness.StartAsync([host]);
        await sidecar.WaitForHostsAsync("Idler", 1);
        using var client = sidecar.Client(0);
        using var response = await client.PostAsync("v1.0/actors/Idler/busy/method/sleep", Json("800"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(host.Calls, c => c.Kind == "deactivate");
    }

    [Fact]
    public async Task ReplicaChurn_EveryActorOnExactlyOneLiveReplica_MovedActorsDeactivatedFirst()
    {
        const string type = "SystemActor";
        await using var a = await TestActorApp.StartAsync("systems-a", TestActorApp.ConfigFor(type));
        await using var b = await TestActorApp.StartAsync("systems-b", TestActorApp.ConfigFor(type));
        await using var sidecar = await ActorSidecarHarness.StartAsync([a, b, null], appIds: ["systems", "systems", "caller"]);
        await sidecar.WaitForHostsAsync(type, 2);
        using var client = sidecar.Client(2);
        var ids = Enumerable.Range(0, 60).Select(i => $"s{i}").ToArray();

        var owners = await WhoAnswersAsync(client, type, ids);
        Assert.Contains("systems-a", owners.Values);
        Assert.Contains("systems-b", owners.Values);
        Assert.Equal(owners, await WhoAnswersAsync(client, type, ids)); // stable

        // Replica b goes away: everything answers from a.
        await b.StopAsync();
        await sidecar.WaitForHostsAsync(type, 1);
        Assert.All((await WhoAnswersAsync(client, type, ids)).Values, owner => Assert.Equal("systems-a", owner));

        // It comes back: its actors move back, each deactivated on a before b answers for it.
        await b.StartAsync();
        await sidecar.WaitForHostsAsync(type, 2);
        var afterReturn = await WhoAnswersAsync(client, type, ids);
        Assert.Equal(owners, afterReturn);
        foreach (var id in ids.Where(id => owners[id] == "systems-b"))
        {
            var deactivated = Array.FindIndex(a.Calls.ToArray(), c => c.Kind == "deactivate" && c.Id == id);
            Assert.True(deactivated >= 0, $"{id} moved to b without being deactivated on a");
        }
        Assert.All(sidecar.Activations.All, actor => Assert.Equal(owners[actor.Key.Id] == "systems-a" ? "systems-1" : "systems-2", actor.Host.HostId));
        Assert.Equal(1, a.MaxConcurrentCallsPerActor);
        Assert.Equal(1, b.MaxConcurrentCallsPerActor);
    }

    [Fact]
    public async Task HostJoins_MovedActorDrainsItsCallThenDeactivatesBeforeNewHostServesIt()
    {
        const string type = "Drainer";
        var table = new Quoncept.Sidecar.Actors.Placement.PlacementTable();
        table.SetHost("drain-1", [type]);
        table.SetHost("drain-2", [type]);
        var movingId = Enumerable.Range(0, 100).Select(i => $"d{i}").First(id => table.Lookup(type, id) == "drain-2");

        await using var a = await TestActorApp.StartAsync("drain-a", TestActorApp.ConfigFor(type));
        await using var b = await TestActorApp.StartAsync("drain-b", TestActorApp.ConfigFor(type));
        await b.StopAsync();
        await using var sidecar = await ActorSidecarHarness.StartAsync([a, b, null], appIds: ["drain", "drain", "caller"]);
        await sidecar.WaitForHostsAsync(type, 1);
        using var client = sidecar.Client(2);

        // A long call holds the actor on a while b comes up and placement moves the actor to b.
        var held = client.PostAsync($"v1.0/actors/{type}/{movingId}/method/gate", Json("{}"));
        await a.WaitForAsync(c => c.Kind == "method" && c.Id == movingId);
        await b.StartAsync();
        await sidecar.WaitForHostsAsync(type, 2);
        var next = client.PostAsync($"v1.0/actors/{type}/{movingId}/method/whoami", Json("{}"));
        await Task.Delay(300);
        Assert.False(next.IsCompleted, "the new host must wait until the old activation is drained");
        Assert.DoesNotContain(a.Calls, c => c.Kind == "deactivate");

        a.Gate.SetResult();
        using (var first = await held)
        {
            Assert.Equal("\"drain-a\"", await first.Content.ReadAsStringAsync());
        }
        using (var second = await next)
        {
            Assert.Equal("\"drain-b\"", await second.Content.ReadAsStringAsync());
        }
        Assert.Contains(a.Calls, c => c.Kind == "deactivate" && c.Id == movingId);
    }

    [Fact]
    public async Task Reentrancy_Enabled_ActorCallingItselfDoesNotWait()
    {
        await using var host = await TestActorApp.StartAsync("hostapp",
            """{"entities":["Loop"],"reentrancy":{"enabled":true,"maxStackDepth":4}}""");
        await using var sidecar = await ActorSidecarHarness.StartAsync([host]);
        await sidecar.WaitForHostsAsync("Loop", 1);
        using var client = sidecar.Client(0);
        using var response = await client.PostAsync("v1.0/actors/Loop/l1/method/reenter", Json("{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"inner\"", await response.Content.ReadAsStringAsync());
        var calls = host.CallsOf("method").ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0].Headers["Dapr-Reentrancy-Id"].ToString(), calls[1].Headers["Dapr-Reentrancy-Id"].ToString());
        Assert.False(string.IsNullOrEmpty(calls[0].Headers["Dapr-Reentrancy-Id"].ToString()));
    }

    [Fact]
    public async Task DaprConfig_AppStillWarmingUp_AskedAgainUntilItAnswers()
    {
        await using var host = await TestActorApp.StartAsync("hostapp", TestActorApp.ConfigFor("Late"));
        host.ConfigFailuresLeft = 2;
        await using var sidecar = await ActorSidecarHarness.StartAsync([host]);
        await sidecar.WaitForHostsAsync("Late", 1);
        using var client = sidecar.Client(0);
        using var response = await client.PostAsync("v1.0/actors/Late/1/method/echo", Json("{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task InvalidDaprConfig_AppHostsNoActors_RuntimeStaysUp()
    {
        await using var host = await TestActorApp.StartAsync("hostapp", """{"entities":["Bad"],"actorIdleTimeout":"forever"}""");
        await using var sidecar = await ActorSidecarHarness.StartAsync([host]);
        using var client = sidecar.Client(0);
        using var response = await client.PostAsync("v1.0/actors/Bad/1/method/echo", Json("{}"));
        await ActorInvocationTests.AssertDaprError(response, HttpStatusCode.InternalServerError, "ERR_ACTOR_INVOKE_METHOD", "did not find address");
        using var health = await client.GetAsync("v1.0/healthz");
        Assert.True(health.IsSuccessStatusCode);
    }

    private static async Task<Dictionary<string, string>> WhoAnswersAsync(HttpClient client, string type, string[] ids)
    {
        var answers = await Task.WhenAll(ids.Select(async id =>
        {
            using var response = await client.PostAsync($"v1.0/actors/{type}/{id}/method/whoami", Json("{}"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            return (id, owner: JsonSerializer.Deserialize<string>(text)!);
        }));
        return answers.ToDictionary(x => x.id, x => x.owner);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
