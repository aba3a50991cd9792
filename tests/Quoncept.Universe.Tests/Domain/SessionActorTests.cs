using Quoncept.Contracts;

namespace Quoncept.Universe.Tests.Domain;

public sealed class SessionActorTests : IAsyncLifetime
{
    private readonly UniverseSandbox _u = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _u.Probe.Hold = null;
        await _u.DisposeAsync();
    }

    private async Task<string> OnlineAsync(string connectionId = "conn-1")
    {
        var started = await _u.Session("alice").StartAsync(new StartSession("c1"));
        var attached = await _u.Session("alice").AttachAsync(new AttachSession(started.SessionId, connectionId, "gw-a"));
        Assert.Equal(AttachKind.Attached, attached.Kind);
        Assert.Equal("c1", attached.CharacterId);
        await _u.Character("c1").LoginAsync(new LoginCommand("r1", connectionId));
        return started.SessionId;
    }

    [Fact]
    public async Task Start_SecondSession_OldOneEndedOnLiveAsReplacedAndCannotAttach()
    {
        var first = await OnlineAsync();

        var second = await _u.Session("alice").StartAsync(new StartSession("c1"));

        Assert.Equal(first, second.ReplacedSessionId);
        var ended = Assert.IsType<SessionEnded>(Assert.Single(_u.Probe.Live.OfType<SessionEnded>()));
        Assert.Equal((first, "conn-1", "gw-a", SessionEndReasons.Replaced), (ended.SessionId, ended.ConnectionId, ended.GatewayId, ended.Reason));
        var old = await _u.Session("alice").AttachAsync(new AttachSession(first, "conn-1", "gw-a"));
        Assert.Equal((AttachKind.Rejected, FailureCode.Unauthenticated), (old.Kind, old.Error!.Code));
        Assert.Equal(AttachKind.Attached, (await _u.Session("alice").AttachAsync(new AttachSession(second.SessionId, "conn-2", "gw-b"))).Kind);
    }

    [Fact]
    public async Task Attach_UnknownSession_RejectedUnauthenticated()
    {
        var outcome = await _u.Session("bob").AttachAsync(new AttachSession("made-up", "conn-1", "gw-a"));
        Assert.Equal((AttachKind.Rejected, FailureCode.Unauthenticated), (outcome.Kind, outcome.Error!.Code));
    }

    [Fact]
    public async Task Detach_NoReturnWithinGrace_CharacterLoggedOutWithReasonTimeout()
    {
        var session = await OnlineAsync();
        var detached = await _u.Session("alice").DetachAsync(new DetachSession(session, "conn-1", "gw-a"));
        Assert.True(detached.GraceStarted);

        await _u.Host.AdvanceTimeAsync(UniverseSandbox.Grace - TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(_u.LiveOf("s1"), e => e is CharacterDeparted);

        await _u.Host.AdvanceTimeAsync(TimeSpan.FromSeconds(6));
        var departed = Assert.IsType<CharacterDeparted>(_u.LiveOf("s1")[^1]);
        Assert.Equal(("c1", DepartureReasons.Timeout), (departed.CharacterId, departed.Reason));
        Assert.False((await _u.Character("c1").GetAsync()).Character!.Online);
        Assert.DoesNotContain(_u.Host.Reminders, r => r.Name == "grace");
        Assert.Contains(_u.Probe.Events, e => e is SessionGraceExpired);
    }

    [Fact]
    public async Task Detach_ReattachSameConnectionWithinGrace_ResumedSilently()
    {
        var session = await OnlineAsync();
        await _u.Session("alice").DetachAsync(new DetachSession(session, "conn-1", "gw-a"));
        await _u.Host.AdvanceTimeAsync(TimeSpan.FromSeconds(10));

        var resumed = await _u.Session("alice").AttachAsync(new AttachSession(session, "conn-1", "gw-b"));
        await _u.Host.AdvanceTimeAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(AttachKind.Resumed, resumed.Kind);
        Assert.Single(_u.LiveOf("s1"));
        Assert.True((await _u.Character("c1").GetAsync()).Character!.Online);
        Assert.DoesNotContain(_u.Host.Reminders, r => r.Name == "grace");
        Assert.Equal(("gw-b", true), ((await _u.Session("alice").GetStatusAsync()).GatewayId, (await _u.Session("alice").GetStatusAsync()).Attached));
    }

    [Fact]
    public async Task Detach_OtherConnectionComesBack_NotResumed()
    {
        var session = await OnlineAsync();
        await _u.Session("alice").DetachAsync(new DetachSession(session, "conn-1", "gw-a"));

        var other = await _u.Session("alice").AttachAsync(new AttachSession(session, "conn-2", "gw-a"));

        Assert.Equal(AttachKind.Attached, other.Kind);
    }

    [Fact]
    public async Task Detach_ByAConnectionNotHoldingTheSession_NoGrace()
    {
        var session = await OnlineAsync();
        var outcome = await _u.Session("alice").DetachAsync(new DetachSession(session, "conn-9", "gw-a"));
        Assert.False(outcome.GraceStarted);
        Assert.DoesNotContain(_u.Host.Reminders, r => r.Name == "grace");
    }

    [Fact]
    public async Task Detach_LateFromGatewayAfterResumeOnAnother_NoGraceAndCharacterStaysOnline()
    {
        // The stream dropped on gw-a; the client resumed on gw-b before gw-a noticed its dead stream.
        var session = await OnlineAsync();
        var resumed = await _u.Session("alice").AttachAsync(new AttachSession(session, "conn-1", "gw-b"));
        Assert.Equal(AttachKind.Resumed, resumed.Kind);

        var late = await _u.Session("alice").DetachAsync(new DetachSession(session, "conn-1", "gw-a"));
        await _u.Host.AdvanceTimeAsync(UniverseSandbox.Grace + TimeSpan.FromSeconds(1));

        Assert.False(late.GraceStarted);
        Assert.DoesNotContain(_u.Host.Reminders, r => r.Name == "grace");
        Assert.True((await _u.Character("c1").GetAsync()).Character!.Online);
        Assert.DoesNotContain(_u.Probe.Events, e => e is SessionDetached or SessionGraceExpired);
        var status = await _u.Session("alice").GetStatusAsync();
        Assert.Equal(("conn-1", "gw-b", true, 0L), (status.ConnectionId, status.GatewayId, status.Attached, status.GraceEndsAtUnixMs));
    }

    [Fact]
    public async Task Detach_LateFromTheOldStreamAfterTheSameConnectionReopenedOnTheSameGateway_NoGrace()
    {
        var session = await OnlineAsync();
        var reopened = await _u.Session("alice").AttachAsync(new AttachSession(session, "conn-1", "gw-a"));
        Assert.Equal(AttachKind.Resumed, reopened.Kind);

        var late = await _u.Session("alice").DetachAsync(new DetachSession(session, "conn-1", "gw-a", reopened.Attachment - 1));
        await _u.Host.AdvanceTimeAsync(UniverseSandbox.Grace + TimeSpan.FromSeconds(1));

        Assert.False(late.GraceStarted);
        Assert.DoesNotContain(_u.Host.Reminders, r => r.Name == "grace");
        Assert.True((await _u.Character("c1").GetAsync()).Character!.Online);
        Assert.DoesNotContain(_u.Probe.Events, e => e is SessionDetached or SessionGraceExpired);
    }

    [Fact]
    public async Task Detach_FromTheGatewayHoldingTheResumedSession_GraceStartsAndLogsOut()
    {
        var session = await OnlineAsync();
        await _u.Session("alice").AttachAsync(new AttachSession(session, "conn-1", "gw-b"));
        await _u.Session("alice").DetachAsync(new DetachSession(session, "conn-1", "gw-a"));

        var detached = await _u.Session("alice").DetachAsync(new DetachSession(session, "conn-1", "gw-b"));
        await _u.Host.AdvanceTimeAsync(UniverseSandbox.Grace + TimeSpan.FromSeconds(1));

        Assert.True(detached.GraceStarted);
        Assert.False((await _u.Character("c1").GetAsync()).Character!.Online);
        Assert.Contains(_u.Probe.Events, e => e is SessionGraceExpired);
    }

    [Fact]
    public async Task Start_ReplacedAndNewSessionNeverAttaches_CharacterLoggedOutAfterGrace()
    {
        await OnlineAsync();
        await _u.Session("alice").StartAsync(new StartSession("c1"));

        await _u.Host.AdvanceTimeAsync(UniverseSandbox.Grace + TimeSpan.FromSeconds(1));

        Assert.False((await _u.Character("c1").GetAsync()).Character!.Online);
    }

    [Fact]
    public async Task Start_ReplacedAndNewSessionAttaches_CharacterStaysOnline()
    {
        await OnlineAsync();
        var second = await _u.Session("alice").StartAsync(new StartSession("c1"));
        await _u.Session("alice").AttachAsync(new AttachSession(second.SessionId, "conn-2", "gw-b"));

        await _u.Host.AdvanceTimeAsync(UniverseSandbox.Grace + TimeSpan.FromSeconds(1));

        Assert.True((await _u.Character("c1").GetAsync()).Character!.Online);
        Assert.Single(_u.LiveOf("s1"));
    }

    [Fact]
    public async Task Session_AllEvents_PublishedOnlyAfterSave()
    {
        var session = await OnlineAsync();
        await _u.Session("alice").DetachAsync(new DetachSession(session, "conn-1", "gw-a"));
        await _u.Host.AdvanceTimeAsync(UniverseSandbox.Grace + TimeSpan.FromSeconds(1));
        await _u.Session("alice").StartAsync(new StartSession("c1"));

        Assert.Contains(_u.Probe.All, p => p.Event is SessionEnded);
        Assert.All(_u.Probe.All, p => Assert.True(p.SavedBeforePublish, $"{p.Topic} {p.Event}"));
    }

    [Fact]
    public async Task Start_ReplacingAnOnlineSessionWhileBrokerSlow_GraceReminderRegisteredBeforePublishAnswers()
    {
        await OnlineAsync();
        var broker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _u.Probe.Clear();
        _u.Probe.Hold = broker.Task;

        var starting = _u.Session("alice").StartAsync(new StartSession("c1"));
        await UntilAsync(() => _u.Host.Reminders.Any(r => r.Name == "grace"), "the grace reminder registered while the publish waits");

        Assert.False(starting.IsCompleted);
        Assert.Empty(_u.Probe.Events);
        broker.SetResult();
        await starting;
        Assert.Contains(_u.Probe.Events, e => e is SessionEnded);
        Assert.Contains(_u.Probe.Events, e => e is SessionStarted);
    }

    [Fact]
    public async Task Attach_ResumeWithinGraceWhileBrokerSlow_GraceReminderRemovedBeforePublishAnswers()
    {
        var session = await OnlineAsync();
        await _u.Session("alice").DetachAsync(new DetachSession(session, "conn-1", "gw-a"));
        Assert.Contains(_u.Host.Reminders, r => r.Name == "grace");
        var broker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _u.Probe.Clear();
        _u.Probe.Hold = broker.Task;

        var attaching = _u.Session("alice").AttachAsync(new AttachSession(session, "conn-1", "gw-b"));
        await UntilAsync(() => _u.Host.Reminders.All(r => r.Name != "grace"), "the grace reminder removed while the publish waits");

        Assert.False(attaching.IsCompleted);
        broker.SetResult();
        Assert.Equal(AttachKind.Resumed, (await attaching).Kind);
        Assert.Contains(_u.Probe.Events, e => e is SessionAttached);
    }

    [Fact]
    public async Task Attach_ResumeWithinGraceWhileBrokerDown_GraceReminderRemovedAndOutboxRetryRegistered()
    {
        var session = await OnlineAsync();
        await _u.Session("alice").DetachAsync(new DetachSession(session, "conn-1", "gw-a"));
        _u.Probe.Clear();
        _u.Probe.Failing = true;

        var attached = await _u.Session("alice").AttachAsync(new AttachSession(session, "conn-1", "gw-b"));

        Assert.Equal(AttachKind.Resumed, attached.Kind);
        Assert.Equal(["outbox"], _u.Host.Reminders.Select(r => r.Name));
        _u.Probe.Failing = false;
        await _u.Host.AdvanceTimeAsync(TimeSpan.FromSeconds(6));
        Assert.Contains(_u.Probe.Events, e => e is SessionAttached);
        Assert.Empty(_u.Host.Reminders);
        Assert.True((await _u.Character("c1").GetAsync()).Character!.Online);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 10 s: {what}");
            await Task.Delay(10);
        }
    }
}
