using Quoncept.Contracts;
using Quoncept.Sessions.Sessions;

namespace Quoncept.Universe.Tests.Domain;

public sealed class SessionRulesTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private static SessionState Attached(string connection = "conn-1")
    {
        var state = new SessionState();
        SessionRules.Start(state, "alice", new StartSession("c1"), "s-1", 1000, Grace);
        SessionRules.Attach(state, "alice", new AttachSession("s-1", connection, "gw-a"), 1100);
        state.Outbox.Clear();
        return state;
    }

    [Fact]
    public void Start_FirstSession_NoEndNoGrace()
    {
        var state = new SessionState();
        var (outcome, grace) = SessionRules.Start(state, "alice", new StartSession("c1"), "s-1", 1000, Grace);
        Assert.Equal(("s-1", null), (outcome.SessionId, outcome.ReplacedSessionId));
        Assert.False(grace);
        Assert.IsType<SessionStarted>(Assert.Single(state.Outbox));
    }

    [Fact]
    public void Start_SecondSession_EndsTheOldOneNamingItsConnection()
    {
        var state = Attached();
        var (outcome, grace) = SessionRules.Start(state, "alice", new StartSession("c1"), "s-2", 2000, Grace);
        Assert.Equal("s-1", outcome.ReplacedSessionId);
        Assert.True(grace);
        Assert.Equal(2000 + 30_000, state.GraceEndsAtUnixMs);
        var ended = Assert.IsType<SessionEnded>(state.Outbox[0]);
        Assert.Equal(("s-1", "conn-1", "gw-a", "replaced"), (ended.SessionId, ended.ConnectionId, ended.GatewayId, ended.Reason));
    }

    [Fact]
    public void Attach_OldSessionAfterReplacement_RejectedUnauthenticated()
    {
        var state = Attached();
        SessionRules.Start(state, "alice", new StartSession("c1"), "s-2", 2000, Grace);
        var (outcome, _) = SessionRules.Attach(state, "alice", new AttachSession("s-1", "conn-1", "gw-a"), 2100);
        Assert.Equal(AttachKind.Rejected, outcome.Kind);
        Assert.Equal(FailureCode.Unauthenticated, outcome.Error!.Code);
    }

    [Fact]
    public void Attach_EmptyConnectionId_RejectedInvalidArgument()
    {
        var state = Attached();
        var (outcome, _) = SessionRules.Attach(state, "alice", new AttachSession("s-1", "", "gw-a"), 2100);
        Assert.Equal(FailureCode.InvalidArgument, outcome.Error!.Code);
    }

    [Fact]
    public void Detach_ThenSameConnectionWithinGrace_ResumedAndGraceCancelled()
    {
        var state = Attached();
        var detached = SessionRules.Detach(state, "alice", new DetachSession("s-1", "conn-1", "gw-a"), 5000, Grace);
        Assert.Equal((true, 35_000L), (detached.GraceStarted, detached.GraceEndsAtUnixMs));
        var (outcome, cancelled) = SessionRules.Attach(state, "alice", new AttachSession("s-1", "conn-1", "gw-b"), 6000);
        Assert.Equal(AttachKind.Resumed, outcome.Kind);
        Assert.True(cancelled);
        Assert.False(SessionRules.IsGraceOver(state, 40_000));
        Assert.Equal("gw-b", state.GatewayId);
    }

    [Fact]
    public void Detach_NoReturn_GraceOverOnlyAfterThePeriod()
    {
        var state = Attached();
        SessionRules.Detach(state, "alice", new DetachSession("s-1", "conn-1", "gw-a"), 5000, Grace);
        Assert.False(SessionRules.IsGraceOver(state, 20_000));
        Assert.True(SessionRules.IsGraceOver(state, 35_000));
        SessionRules.GraceExpired(state, "alice", 35_000);
        Assert.False(SessionRules.IsGraceOver(state, 36_000));
        Assert.IsType<SessionGraceExpired>(state.Outbox[^1]);
    }

    [Fact]
    public void Attach_SameConnectionAfterGraceExpired_AttachedAfresh()
    {
        var state = Attached();
        SessionRules.Detach(state, "alice", new DetachSession("s-1", "conn-1", "gw-a"), 5000, Grace);
        SessionRules.GraceExpired(state, "alice", 35_000);
        var (outcome, cancelled) = SessionRules.Attach(state, "alice", new AttachSession("s-1", "conn-1", "gw-a"), 40_000);
        Assert.Equal(AttachKind.Attached, outcome.Kind);
        Assert.False(cancelled);
    }

    [Fact]
    public void Attach_OtherConnectionWhileAttached_EndsThePreviousConnection()
    {
        var state = Attached();
        var (outcome, _) = SessionRules.Attach(state, "alice", new AttachSession("s-1", "conn-2", "gw-b"), 2000);
        Assert.Equal(AttachKind.Attached, outcome.Kind);
        var ended = Assert.IsType<SessionEnded>(state.Outbox[0]);
        Assert.Equal(("conn-1", "gw-a"), (ended.ConnectionId, ended.GatewayId));
        Assert.Equal("conn-2", state.ConnectionId);
    }

    [Fact]
    public void Detach_ConnectionThatNoLongerHoldsTheSession_Ignored()
    {
        var state = Attached();
        SessionRules.Attach(state, "alice", new AttachSession("s-1", "conn-2", "gw-b"), 2000);
        var outcome = SessionRules.Detach(state, "alice", new DetachSession("s-1", "conn-1", "gw-a"), 3000, Grace);
        Assert.False(outcome.GraceStarted);
        Assert.True(state.Attached);
    }

    [Fact]
    public void Detach_SameConnectionFromAGatewayThatNoLongerHoldsIt_Ignored()
    {
        var state = Attached();
        SessionRules.Attach(state, "alice", new AttachSession("s-1", "conn-1", "gw-b"), 2000);
        state.Outbox.Clear();
        var outcome = SessionRules.Detach(state, "alice", new DetachSession("s-1", "conn-1", "gw-a"), 3000, Grace);
        Assert.Equal((false, 0L), (outcome.GraceStarted, outcome.GraceEndsAtUnixMs));
        Assert.True(state.Attached);
        Assert.Empty(state.Outbox);
    }

    [Fact]
    public void Detach_OlderAttachmentOfTheSameConnectionAndGateway_Ignored()
    {
        // A stream reopened with the same connection id on the same gateway was attached before the old stream's detach arrived.
        var state = Attached();
        var first = state.Attachments;
        var (reopened, _) = SessionRules.Attach(state, "alice", new AttachSession("s-1", "conn-1", "gw-a"), 2000);
        state.Outbox.Clear();

        var late = SessionRules.Detach(state, "alice", new DetachSession("s-1", "conn-1", "gw-a", first), 3000, Grace);

        Assert.Equal((AttachKind.Resumed, first + 1), (reopened.Kind, reopened.Attachment));
        Assert.False(late.GraceStarted);
        Assert.True(state.Attached);
        Assert.Empty(state.Outbox);
        Assert.True(SessionRules.Detach(state, "alice", new DetachSession("s-1", "conn-1", "gw-a", reopened.Attachment), 4000, Grace).GraceStarted);
    }

    [Fact]
    public void Detach_WithoutAnAttachmentNumber_JudgedByConnectionAndGatewayAlone()
    {
        var state = Attached();
        SessionRules.Attach(state, "alice", new AttachSession("s-1", "conn-1", "gw-a"), 2000);

        Assert.True(SessionRules.Detach(state, "alice", new DetachSession("s-1", "conn-1", "gw-a"), 3000, Grace).GraceStarted);
    }
}
