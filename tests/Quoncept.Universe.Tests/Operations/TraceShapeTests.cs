using System.Diagnostics;
using Quoncept.Client;
using Quoncept.Universe.Tests.EndToEnd;

namespace Quoncept.Universe.Tests.Operations;

/// <summary>
/// One client request is one trace: the client's span, the gateway's, the runtime's, the actors' calls,
/// the state save, the publish, the delivery to every gateway replica and its fan-out, every span with its
/// parent, read back from a Zipkin collector that the whole universe exports to.
/// In the universe collection, so that its own universe never runs beside the shared one's load-sensitive tests.
/// </summary>
[Collection(UniverseCollection.Name)]
public sealed class TraceShapeTests(TracedUniverse traced) : IClassFixture<TracedUniverse>
{
    private readonly UniverseFixture _universe = traced.Universe;

    [Fact]
    public async Task Login_OneTrace_ClientGatewayRuntimeActorsSavePublishAndEveryReplica()
    {
        TracedUniverse.Traced();
        var (watcher, mover) = await TwoInOneSystemAsync();
        await using var _w = watcher.Connection;
        await using var _m = mover.Connection;

        var spans = await WaitForTraceAsync(mover.LoginTrace!, "CharacterArrived");

        AssertConnected(spans, "login");
        AssertActorCall(spans, "characters", "CharacterActor", "LoginAsync");
        AssertActorCall(spans, "systems", "SystemActor", "EnterAsync");
        AssertSavedAndPublished(spans);
        AssertEveryReplicaGot(spans, "CharacterArrived");
    }

    [Fact]
    public async Task Move_OneTrace_LeaveEnterAndBothSystemsEvents()
    {
        TracedUniverse.Traced();
        var (watcher, mover) = await TwoInOneSystemAsync();
        await using var _w = watcher.Connection;
        await using var _m = mover.Connection;
        var away = mover.Login.System.System.Neighbours[0].Id;

        var moved = await mover.Connection.MoveAsync(away);
        var spans = await WaitForTraceAsync(moved.TraceId!, "CharacterDeparted", "CharacterArrived");

        AssertConnected(spans, "move");
        AssertActorCall(spans, "characters", "CharacterActor", "MoveAsync");
        AssertActorCall(spans, "systems", "SystemActor", "LeaveAsync");
        AssertActorCall(spans, "systems", "SystemActor", "EnterAsync");
        AssertSavedAndPublished(spans);
        AssertEveryReplicaGot(spans, "CharacterDeparted");
        AssertEveryReplicaGot(spans, "CharacterArrived");
    }

    [Fact]
    public async Task Chat_OneTrace_SystemActorAndFanOutToTheListener()
    {
        TracedUniverse.Traced();
        var (watcher, speaker) = await TwoInOneSystemAsync();
        await using var _w = watcher.Connection;
        await using var _s = speaker.Connection;

        var said = await speaker.Connection.ChatAsync("traced hello");
        await watcher.Connection.NextAsync(e => e.Chat?.Text == "traced hello", "the traced chat line");
        var spans = await WaitForTraceAsync(said.TraceId!, "ChatPosted");

        AssertConnected(spans, "chat");
        AssertActorCall(spans, "systems", "SystemActor", "ChatBatchAsync");
        AssertSavedAndPublished(spans);
        AssertEveryReplicaGot(spans, "ChatPosted");
        // Both connections are in the system: the line was queued to the speaker on A and the watcher on B.
        Assert.Equal(2, spans.Where(s => s.Name == "live ChatPosted").Sum(s => int.Parse(s.Tag("quoncept.fanout.connections"), System.Globalization.CultureInfo.InvariantCulture)));
    }

    private sealed record Player(QuonceptConnection Connection, Quoncept.V1.LoginResult Login, string? LoginTrace);

    /// <summary>A watcher on gateway B, then a player logging in on gateway A in the same system (the calling test traces both).</summary>
    private async Task<(Player Watcher, Player Traced)> TwoInOneSystemAsync()
    {
        var users = _universe.Users.TakeGroup(2);
        var watcherSession = (await _universe.B.CreateSessionAsync(users[0].Username)).Value;
        var watcher = await _universe.B.ConnectAsync(watcherSession);
        var watcherLogin = await watcher.LoginAsync();

        var session = (await _universe.A.CreateSessionAsync(users[1].Username)).Value;
        var connection = await _universe.A.ConnectAsync(session);
        var login = await connection.LoginAsync();
        await watcher.NextAsync(e => e.Arrived?.Character.Id == users[1].CharacterId, "the traced player's arrival");
        Assert.NotNull(login.TraceId);
        return (new Player(watcher, watcherLogin.Value, null), new Player(connection, login.Value, login.TraceId));
    }

    /// <summary>Waits (the exporters batch for up to 5 s) until both replicas' spans for each live event are in.</summary>
    private async Task<List<ZipkinSpan>> WaitForTraceAsync(string traceId, params string[] liveEvents)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var spans = traced.Zipkin.SpansOf(traceId);
            var complete = liveEvents.All(e => spans.Count(s => s.Name == "live " + e) >= 2) && spans.Any(s => s.Service == TracedUniverse.ClientService);
            if (complete || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                // A moment more for the spans that end after the live ones (the request's own, the publisher's).
                await Task.Delay(TimeSpan.FromSeconds(6));
                return traced.Zipkin.SpansOf(traceId);
            }
            await Task.Delay(250);
        }
    }

    /// <summary>One root (the client's span), every other span's parent in the trace, the gateway's request span under the client's.</summary>
    private static void AssertConnected(List<ZipkinSpan> spans, string request)
    {
        var dump = Dump(spans);
        var ids = spans.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var root = Assert.Single(spans, s => s.ParentId is null);
        Assert.True(root.Service == TracedUniverse.ClientService && root.Kind == "CLIENT" && root.Name == "quoncept.v1.Gateway/Connect " + request, "root: " + dump);
        Assert.True(spans.All(s => s.ParentId is null || ids.Contains(s.ParentId)), "a span whose parent is not in the trace: " + dump);
        var gateway = Assert.Single(spans, s => s.Service == "gateway" && s.Kind == "SERVER" && s.Name == root.Name);
        Assert.Equal(root.Id, gateway.ParentId);
        foreach (var service in new[] { "gateway", "quoncept-sidecar", "systems" })
        {
            Assert.True(spans.Any(s => s.Service == service), $"no span of {service}: {dump}");
        }
    }

    /// <summary>The runtime's call into the app's actor and the app's handling of it, one under the other.</summary>
    private static void AssertActorCall(List<ZipkinSpan> spans, string app, string actorType, string method)
    {
        var path = $"/method/{method}";
        var handled = spans.Where(s => s.Service == app && s.Kind == "SERVER" && s.Tag("url.path").StartsWith($"/actors/{actorType}/", StringComparison.Ordinal) && s.Tag("url.path").EndsWith(path, StringComparison.Ordinal)).ToList();
        Assert.True(handled.Count >= 1, $"no {app} span for {actorType}.{method}: {Dump(spans)}");
        var caller = spans.Single(s => s.Id == handled[0].ParentId);
        Assert.Equal(("quoncept-sidecar", "CLIENT"), (caller.Service, caller.Kind));
    }

    /// <summary>The actor's state transaction through the runtime, then the publish of its events (the app's span and the runtime's).</summary>
    private static void AssertSavedAndPublished(List<ZipkinSpan> spans)
    {
        var dump = Dump(spans);
        Assert.True(spans.Any(s => s.Service == "quoncept-sidecar" && s.Kind == "SERVER" && s.Tag("url.path").Contains("/v1.0/actors/", StringComparison.Ordinal) && s.Tag("url.path").EndsWith("/state", StringComparison.Ordinal)),
            "no actor state save: " + dump);
        var publish = spans.Where(s => s.Kind == "PRODUCER" && s.Name.EndsWith(" events", StringComparison.Ordinal)).ToList();
        Assert.True(publish.Count >= 1, "no publish span: " + dump);
        Assert.True(spans.Any(s => s.Service == "quoncept-sidecar" && s.Tag("url.path").Contains("PublishEvent", StringComparison.Ordinal)), "no runtime publish: " + dump);
    }

    /// <summary>The runtime delivered the event to both gateway replicas, and each replica handled it under that trace.</summary>
    private static void AssertEveryReplicaGot(List<ZipkinSpan> spans, string eventType)
    {
        var dump = Dump(spans);
        var live = spans.Where(s => s.Service == "gateway" && s.Name == "live " + eventType).ToList();
        Assert.True(live.Select(s => s.Tag("quoncept.gateway.id")).Distinct().Count() == 2, $"{eventType} not handled by both replicas: {dump}");
        Assert.True(spans.Count(s => s.Service == "quoncept-sidecar" && s.Kind == "CONSUMER" && s.Tag("dapr.app_id") == "gateway") >= 2, $"no runtime delivery to both replicas: {dump}");
    }

    private static string Dump(List<ZipkinSpan> spans) => "\n" + string.Join("\n", spans.OrderBy(s => s.Service).Select(s => s.ToString()));
}
