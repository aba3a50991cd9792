using Microsoft.Extensions.DependencyInjection;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Universe.Tests.Domain;

public sealed class CharacterAndSystemActorTests : IAsyncLifetime
{
    private readonly UniverseSandbox _u = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _u.DisposeAsync();

    [Fact]
    public async Task Login_KnownCharacter_OnlineInHomeSystemArrivalOnLiveAndEvents()
    {
        var outcome = await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));

        Assert.Null(outcome.Error);
        Assert.Equal(("c1", "Alice", "s1", true), (outcome.Character!.Id, outcome.Character.Name, outcome.Character.SystemId, outcome.Character.Online));
        Assert.Equal(("s1", "Aurora", 1UL), (outcome.System!.System.Id, outcome.System.System.Name, outcome.System.Sequence));
        Assert.Equal("c1", Assert.Single(outcome.System.Present).Id);
        var arrived = Assert.IsType<CharacterArrived>(Assert.Single(_u.Probe.Live));
        Assert.Equal(("s1", 1UL, (string?)null), (arrived.SystemId, arrived.Sequence, arrived.FromSystemId));
        Assert.Contains(_u.Probe.Events, e => e is CharacterArrived);
        Assert.Contains(_u.Probe.Events, e => e is CharacterLoggedIn { CharacterId: "c1", SystemId: "s1" });
        Assert.True((await _u.Character("c1").GetAsync()).Character!.Online);
    }

    [Fact]
    public async Task Login_RepeatedRequestId_FirstAnswerNoSecondArrival()
    {
        var first = await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        var again = await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));

        Assert.Equal(first.Character, again.Character);
        Assert.Equal(first.System!.Sequence, again.System!.Sequence);
        Assert.Single(_u.Probe.Live);
    }

    [Fact]
    public async Task Login_AlreadyOnlineNewRequestId_SnapshotWithoutSecondArrival()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        var again = await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-b"));

        Assert.Null(again.Error);
        Assert.Single(_u.Probe.Live);
        Assert.Single(_u.Probe.Events.OfType<CharacterLoggedIn>());
    }

    [Fact]
    public async Task Login_LastSystemNoLongerOnTheMap_StartsAtHome()
    {
        _u.Host.ActorState.Set(ActorTypes.Character, "c3", "state", new Quoncept.Characters.Live.CharacterState { SystemId = "s-removed", LastSeenUnixMs = 1 });

        var outcome = await _u.Character("c3").LoginAsync(new LoginCommand("r1", "conn-c"));

        Assert.Null(outcome.Error);
        Assert.Equal(("s3", "s3"), (outcome.Character!.SystemId, outcome.System!.System.Id));
        Assert.Contains(_u.Probe.Events, e => e is CharacterLoggedIn { CharacterId: "c3", SystemId: "s3" });
    }

    [Fact]
    public async Task Login_UnknownCharacter_NotFoundAndNothingSaved()
    {
        var outcome = await _u.Character("c404").LoginAsync(new LoginCommand("r1", "conn-a"));

        Assert.Equal(FailureCode.NotFound, outcome.Error!.Code);
        Assert.Empty(_u.Probe.All);
        Assert.Empty(_u.Host.ActorState.Keys(ActorTypes.Character, "c404"));
    }

    [Fact]
    public async Task Login_EmptyRequestId_InvalidArgument()
    {
        var outcome = await _u.Character("c1").LoginAsync(new LoginCommand("", "conn-a"));
        Assert.Equal(FailureCode.InvalidArgument, outcome.Error!.Code);
    }

    [Fact]
    public async Task Calls_NullBody_InvalidArgumentNotACrash()
    {
        Assert.Equal(FailureCode.InvalidArgument, (await _u.Character("c1").LoginAsync(null!)).Error!.Code);
        Assert.Equal(FailureCode.InvalidArgument, (await _u.Character("c1").MoveAsync(null!)).Error!.Code);
        Assert.Equal(FailureCode.InvalidArgument, (await _u.Character("c1").LogoutAsync(null!)).Error!.Code);
        Assert.Equal(FailureCode.InvalidArgument, (await _u.System("s1").ChatAsync(null!)).Error!.Code);
        Assert.Equal(FailureCode.InvalidArgument, (await _u.System("s1").EnterAsync(null!)).Error!.Code);
        Assert.Equal(FailureCode.InvalidArgument, (await _u.System("s1").LeaveAsync(null!)).Error!.Code);
        Assert.Equal(FailureCode.InvalidArgument, (await _u.Session("alice").AttachAsync(null!)).Error!.Code);
        Assert.False((await _u.Session("alice").DetachAsync(null!)).GraceStarted);
    }

    [Fact]
    public async Task Move_AlongLane_DepartureThenArrivalEachWithItsSystemsSequence()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        await _u.Character("c2").LoginAsync(new LoginCommand("r1", "conn-b"));

        var moved = await _u.Character("c1").MoveAsync(new MoveCommand("r2", "conn-a", "s2"));

        Assert.Null(moved.Error);
        Assert.Equal("s2", moved.Character!.SystemId);
        Assert.Equal(("s2", 1UL), (moved.System!.System.Id, moved.System.Sequence));
        var departed = Assert.IsType<CharacterDeparted>(_u.LiveOf("s1")[^1]);
        Assert.Equal((3UL, "c1", "s2", DepartureReasons.Moved), (departed.Sequence, departed.CharacterId, departed.ToSystemId, departed.Reason));
        var arrived = Assert.IsType<CharacterArrived>(Assert.Single(_u.LiveOf("s2")));
        Assert.Equal(("s1", "s2"), (arrived.FromSystemId, arrived.Character.SystemId));
        Assert.Equal(["c2"], (await _u.System("s1").GetSnapshotAsync()).Snapshot!.Present.Select(c => c.Id));
        Assert.Contains(_u.Probe.Events, e => e is CharacterMoved { FromSystemId: "s1", ToSystemId: "s2" });
    }

    [Fact]
    public async Task Move_NotANeighbour_FailedPreconditionNothingPublished()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        _u.Probe.Clear();

        var outcome = await _u.Character("c1").MoveAsync(new MoveCommand("r2", "conn-a", "s3"));

        Assert.Equal(FailureCode.FailedPrecondition, outcome.Error!.Code);
        Assert.Empty(_u.Probe.All);
        Assert.Equal("s1", (await _u.Character("c1").GetAsync()).Character!.SystemId);
        Assert.Equal(["c1"], (await _u.System("s1").GetSnapshotAsync()).Snapshot!.Present.Select(c => c.Id));
    }

    [Fact]
    public async Task Move_RepeatedRequestId_OneJump()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        var first = await _u.Character("c1").MoveAsync(new MoveCommand("r2", "conn-a", "s2"));
        var again = await _u.Character("c1").MoveAsync(new MoveCommand("r2", "conn-a", "s2"));

        Assert.Equal(first.Character, again.Character);
        Assert.Single(_u.LiveOf("s2"));
        Assert.Equal(2, _u.LiveOf("s1").Count);
    }

    [Fact]
    public async Task Move_RequestIdOfALogin_AlreadyExists()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        var outcome = await _u.Character("c1").MoveAsync(new MoveCommand("r1", "conn-a", "s2"));
        Assert.Equal(FailureCode.AlreadyExists, outcome.Error!.Code);
    }

    [Fact]
    public async Task Move_Offline_FailedPrecondition()
    {
        var outcome = await _u.Character("c1").MoveAsync(new MoveCommand("r1", "conn-a", "s2"));
        Assert.Equal(FailureCode.FailedPrecondition, outcome.Error!.Code);
    }

    [Fact]
    public async Task Chat_Present_ChatPostedWithNextSequenceAndRepeatIsOneMessage()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        await _u.Character("c2").LoginAsync(new LoginCommand("r1", "conn-b"));

        var chat = await _u.System("s1").ChatAsync(new ChatCommand("r2", "conn-a", "c1", "hello bob"));
        var again = await _u.System("s1").ChatAsync(new ChatCommand("r2", "conn-a", "c1", "hello bob"));

        Assert.Equal((3UL, 3UL), (chat.Sequence, again.Sequence));
        var posted = Assert.IsType<ChatPosted>(Assert.Single(_u.Probe.Live.OfType<ChatPosted>()));
        Assert.Equal(("s1", 3UL, "Alice", "hello bob"), (posted.SystemId, posted.Sequence, posted.CharacterName, posted.Text));
        Assert.Equal([1UL, 2UL, 3UL], _u.LiveOf("s1").Select(e => e.Sequence));
    }

    [Fact]
    public async Task Logout_Online_DepartureReasonLogoutThenOffline()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        var outcome = await _u.Character("c1").LogoutAsync(new LogoutCommand("r2", "conn-a", DepartureReasons.Logout));

        Assert.False(outcome.Character!.Online);
        var departed = Assert.IsType<CharacterDeparted>(_u.LiveOf("s1")[^1]);
        Assert.Equal((DepartureReasons.Logout, (string?)null), (departed.Reason, departed.ToSystemId));
        Assert.Empty((await _u.System("s1").GetSnapshotAsync()).Snapshot!.Present);
    }

    [Fact]
    public async Task Logout_UnknownReason_InvalidArgument()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        var outcome = await _u.Character("c1").LogoutAsync(new LogoutCommand("r2", "conn-a", "bored"));
        Assert.Equal(FailureCode.InvalidArgument, outcome.Error!.Code);
    }

    [Fact]
    public async Task GetInfo_KnownAndUnknownSystem_NeighboursOrNotFound()
    {
        var info = await _u.System("s2").GetInfoAsync();
        Assert.Equal(["s1", "s3"], info.System!.Neighbours.Select(n => n.Id));
        Assert.Equal(FailureCode.NotFound, (await _u.System("nope").GetInfoAsync()).Error!.Code);
    }

    [Fact]
    public async Task Everything_Published_OnlyAfterTheEventWasSaved()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        await _u.Character("c1").MoveAsync(new MoveCommand("r2", "conn-a", "s2"));
        await _u.System("s2").ChatAsync(new ChatCommand("r3", "conn-a", "c1", "hi"));
        await _u.Character("c1").LogoutAsync(new LogoutCommand("r4", "conn-a", DepartureReasons.Logout));

        // Login 2 (arrived, logged in), move 3 (departed, arrived, moved), chat 1, logout 2: each event once on "events";
        // the chat line also once on the firehose "chat".
        Assert.Equal(8, _u.Probe.Events.Count);
        Assert.Equal(8, _u.Probe.Events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal("hi", Assert.IsType<ChatPosted>(Assert.Single(_u.Probe.Chat)).Text);
        Assert.Equal(9, _u.Probe.All.Count);
        Assert.All(_u.Probe.All, p => Assert.True(p.SavedBeforePublish, $"{p.Topic} {p.Event}"));
    }

    [Fact]
    public async Task Commit_BrokerSlow_TurnAnswersOnceSavedAndTheEventsFollowInTurnOrder()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        _u.Host.Settle = null;
        var broker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _u.Probe.Hold = broker.Task;

        var first = await _u.System("s1").ChatAsync(new ChatCommand("r2", "conn-a", "c1", "one")).WaitAsync(TimeSpan.FromSeconds(10));
        var second = _u.System("s1").ChatAsync(new ChatCommand("r3", "conn-a", "c1", "two"));
        await Task.Delay(200);

        Assert.Null(first.Error);
        Assert.Single(_u.LiveOf("s1"));
        // The next turn saves only once the previous turn's events are out: two turns' events are never sent together.
        Assert.False(second.IsCompleted);
        broker.SetResult();
        Assert.Null((await second.WaitAsync(TimeSpan.FromSeconds(10))).Error);
        await _u.Host.Services.GetRequiredService<EventPublisher>().WhenPublishedAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1UL, 2UL, 3UL], _u.LiveOf("s1").Select(e => e.Sequence));
        Assert.All(_u.Probe.All, p => Assert.True(p.SavedBeforePublish, $"{p.Topic} {p.Event}"));
    }

    [Fact]
    public async Task PublishFails_EventsStayInOutboxAndTheRetryReminderDeliversThemInOrder()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        _u.Probe.Failing = true;

        var chat = await _u.System("s1").ChatAsync(new ChatCommand("r2", "conn-a", "c1", "anyone?"));

        Assert.Null(chat.Error);
        Assert.True(_u.Probe.Failures > 0);
        Assert.Single(_u.LiveOf("s1"));
        Assert.Contains(_u.Host.Reminders, r => r.ActorId.GetId() == "s1" && r.Name == "outbox");

        _u.Probe.Failing = false;
        await _u.Host.AdvanceTimeAsync(TimeSpan.FromSeconds(6));

        Assert.Equal([1UL, 2UL], _u.LiveOf("s1").Select(e => e.Sequence));
        Assert.DoesNotContain(_u.Host.Reminders, r => r.ActorId.GetId() == "s1" && r.Name == "outbox");
    }

    [Fact]
    public async Task Restart_AfterPublishing_OnlyTheLastSavedTurnIsRepublishedWithTheSameIds()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        await _u.Character("c2").LoginAsync(new LoginCommand("r1", "conn-b"));
        var arrivals = _u.LiveOf("s1");
        Assert.Equal([1UL, 2UL], arrivals.Select(e => e.Sequence));

        await _u.Host.DeactivateAllAsync();
        _u.Probe.Clear();
        var snapshot = await _u.System("s1").GetSnapshotAsync();

        // Turn 1's event left the saved outbox with turn 2's save; turn 2's event is in doubt.
        var again = Assert.Single(_u.LiveOf("s1"));
        Assert.Equal(arrivals[1].EventId, again.EventId);
        Assert.Equal((2UL, 2), (snapshot.Snapshot!.Sequence, snapshot.Snapshot.Present.Count));
    }

    [Fact]
    public async Task Restart_WithUnpublishedEvents_PublishedOnActivation()
    {
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", "conn-a"));
        _u.Probe.Failing = true;
        await _u.System("s1").ChatAsync(new ChatCommand("r2", "conn-a", "c1", "still there?"));
        _u.Probe.Failing = false;

        await _u.Host.DeactivateAllAsync();
        await _u.System("s1").GetSnapshotAsync();

        Assert.Equal([1UL, 2UL], _u.LiveOf("s1").Select(e => e.Sequence));
    }
}
