using Quoncept.Contracts;
using Quoncept.Systems.Presence;

namespace Quoncept.Universe.Tests.Domain;

public sealed class SystemRulesTests
{
    private static readonly SystemInfoView Aurora = new("s1", "Aurora", 1.0, [new SystemRefView("s2", "Bepra")]);
    private static readonly CharacterView Alice = new("c1", "Alice", "s9", false, 0);
    private static readonly CharacterView Bob = new("c2", "Bob", "s9", false, 0);

    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Fact]
    public void Enter_NewCharacter_RecordsArrivalWithNextSequence()
    {
        var state = new SystemState();
        var outcome = SystemRules.Enter(Aurora, state, new EnterSystem(Alice, null), 1000);
        Assert.Null(outcome.Error);
        Assert.Equal(1UL, outcome.Snapshot!.Sequence);
        var arrived = Assert.IsType<CharacterArrived>(Assert.Single(state.Outbox));
        Assert.Equal(("s1", 1UL, "s1:1", true, "s1"), (arrived.SystemId, arrived.Sequence, arrived.EventId, arrived.Character.Online, arrived.Character.SystemId));
        Assert.Equal("c1", Assert.Single(outcome.Snapshot.Present).Id);
    }

    [Fact]
    public void Enter_AlreadyPresent_NoSecondArrival()
    {
        var state = new SystemState();
        SystemRules.Enter(Aurora, state, new EnterSystem(Alice, null), 1000);
        var again = SystemRules.Enter(Aurora, state, new EnterSystem(Alice, null), 2000);
        Assert.Single(state.Outbox);
        Assert.Equal(1UL, again.Snapshot!.Sequence);
    }

    [Fact]
    public void Enter_FromNonNeighbour_FailedPreconditionNothingRecorded()
    {
        var state = new SystemState();
        var outcome = SystemRules.Enter(Aurora, state, new EnterSystem(Alice, "s7"), 1000);
        Assert.Equal(FailureCode.FailedPrecondition, outcome.Error!.Code);
        Assert.Empty(state.Outbox);
        Assert.Empty(state.Present);
    }

    [Fact]
    public void Leave_TowardsNonNeighbour_FailedPreconditionStillPresent()
    {
        var state = new SystemState();
        SystemRules.Enter(Aurora, state, new EnterSystem(Alice, null), 1000);
        var outcome = SystemRules.Leave(Aurora, state, new LeaveSystem("c1", "s3", DepartureReasons.Moved), 2000);
        Assert.Equal(FailureCode.FailedPrecondition, outcome.Error!.Code);
        Assert.Contains("c1", state.Present.Keys);
        Assert.Equal(1UL, state.Sequence);
    }

    [Fact]
    public void Leave_Present_RecordsDepartureAndSecondLeaveIsANoOp()
    {
        var state = new SystemState();
        SystemRules.Enter(Aurora, state, new EnterSystem(Alice, null), 1000);
        Assert.True(SystemRules.Leave(Aurora, state, new LeaveSystem("c1", "s2", DepartureReasons.Moved), 2000).WasPresent);
        Assert.False(SystemRules.Leave(Aurora, state, new LeaveSystem("c1", "s2", DepartureReasons.Moved), 3000).WasPresent);
        var departed = Assert.IsType<CharacterDeparted>(state.Outbox[^1]);
        Assert.Equal((2UL, "s2", "moved", "Alice"), (departed.Sequence, departed.ToSystemId, departed.Reason, departed.CharacterName));
        Assert.Equal(2, state.Outbox.Count);
    }

    [Fact]
    public void Chat_DuplicateRequestId_FirstAnswerAndOneMessage()
    {
        var state = new SystemState();
        SystemRules.Enter(Aurora, state, new EnterSystem(Alice, null), 1000);
        var first = SystemRules.Chat(Aurora, state, new ChatCommand("r1", "conn-a", "c1", "hello"), 2000);
        var repeat = SystemRules.Chat(Aurora, state, new ChatCommand("r1", "conn-a", "c1", "hello again"), 3000);
        Assert.Equal(first, repeat);
        Assert.Equal(2UL, first.Sequence);
        Assert.Single(state.Outbox.OfType<ChatPosted>());
    }

    [Fact]
    public void Chat_SameRequestIdFromAnotherConnection_IsADifferentRequest()
    {
        var state = new SystemState();
        SystemRules.Enter(Aurora, state, new EnterSystem(Alice, null), 1000);
        SystemRules.Enter(Aurora, state, new EnterSystem(Bob, null), 1000);
        var alice = SystemRules.Chat(Aurora, state, new ChatCommand("1", "conn-a", "c1", "hi"), 2000);
        var bob = SystemRules.Chat(Aurora, state, new ChatCommand("1", "conn-b", "c2", "hey"), 2000);
        Assert.Equal((3UL, 4UL), (alice.Sequence, bob.Sequence));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Chat_BlankText_InvalidArgument(string text)
    {
        var state = new SystemState();
        SystemRules.Enter(Aurora, state, new EnterSystem(Alice, null), 1000);
        var outcome = SystemRules.Chat(Aurora, state, new ChatCommand("r1", "conn-a", "c1", text), 2000);
        Assert.Equal(FailureCode.InvalidArgument, outcome.Error!.Code);
        Assert.Equal(1UL, state.Sequence);
    }

    [Fact]
    public void Chat_TooLong_InvalidArgument()
    {
        var state = new SystemState();
        SystemRules.Enter(Aurora, state, new EnterSystem(Alice, null), 1000);
        var outcome = SystemRules.Chat(Aurora, state, new ChatCommand("r1", "conn-a", "c1", new string('x', ChatLimits.MaxTextLength + 1)), 2000);
        Assert.Equal(FailureCode.InvalidArgument, outcome.Error!.Code);
    }

    [Fact]
    public void Chat_SpeakerNotPresent_FailedPrecondition()
    {
        var outcome = SystemRules.Chat(Aurora, new SystemState(), new ChatCommand("r1", "conn-a", "c1", "hello"), 2000);
        Assert.Equal(FailureCode.FailedPrecondition, outcome.Error!.Code);
    }

    [Fact]
    public void Chat_EmptyRequestId_InvalidArgumentNotRemembered()
    {
        var state = new SystemState();
        var outcome = SystemRules.Chat(Aurora, state, new ChatCommand("", "conn-a", "c1", "hello"), 2000);
        Assert.Equal(FailureCode.InvalidArgument, outcome.Error!.Code);
        Assert.False(state.Chats.HasUnsaved);
        Assert.Empty(state.Chats.TakeChanges());
    }

    [Fact]
    public void RequestLog_SavedUnderALargerBound_LoadsWithTheCodesBound()
    {
        var old = new Quoncept.Characters.Live.CharacterState { Requests = { MaxEntries = 128 } };
        for (var i = 0; i < 100; i++) old.Requests.Remember("k" + i, new Quoncept.Characters.Live.CharacterReply("move", null, null));
        var json = System.Text.Json.JsonSerializer.Serialize(old, Web).Replace("\"entries\"", "\"maxEntries\":128,\"entries\"", StringComparison.Ordinal);

        var loaded = System.Text.Json.JsonSerializer.Deserialize<Quoncept.Characters.Live.CharacterState>(json, Web)!;
        Assert.Equal(100, loaded.Requests.Entries.Count);
        Assert.True(loaded.Requests.MaxEntries < 100);
        loaded.Requests.Remember("k100", new Quoncept.Characters.Live.CharacterReply("move", null, null));

        Assert.Equal(loaded.Requests.MaxEntries, loaded.Requests.Entries.Count);
        Assert.True(loaded.Requests.TryGet("k100", out _));
        Assert.False(loaded.Requests.TryGet("k0", out _));
    }

    [Fact]
    public void RequestLog_OverCapacity_ForgetsTheOldest()
    {
        var log = new Quoncept.ServiceDefaults.Actors.RequestLog<int>();
        for (var i = 0; i < Quoncept.ServiceDefaults.Actors.RequestLog<int>.DefaultMaxEntries + 10; i++)
        {
            log.Remember("k" + i, i);
        }

        Assert.Equal(Quoncept.ServiceDefaults.Actors.RequestLog<int>.DefaultMaxEntries, log.Entries.Count);
        Assert.False(log.TryGet("k9", out _));
        Assert.True(log.TryGet("k10", out var kept));
        Assert.Equal(10, kept);
    }

    [Fact]
    public void ChatBatch_ThreeNewLines_OneChatsPostedWithConsecutiveSequences()
    {
        var state = new SystemState();
        SystemRules.Enter(Aurora, state, new EnterSystem(Alice, null), 1000);
        SystemRules.Enter(Aurora, state, new EnterSystem(Bob, null), 1000);
        state.Outbox.Clear();

        var outcomes = SystemRules.ChatBatch(Aurora, state, [new ChatCommand("r1", "conn-a", "c1", "one"), new ChatCommand("r1", "conn-b", "c2", "two"), new ChatCommand("r2", "conn-a", "c1", "three")], 2000);

        Assert.Equal([3UL, 4UL, 5UL], outcomes.Select(o => o.Sequence));
        var posted = Assert.IsType<ChatsPosted>(Assert.Single(state.Outbox));
        Assert.Equal(("s1", 5UL, "s1:3..5", 2000L), (posted.SystemId, posted.Sequence, posted.EventId, posted.OccurredAtUnixMs));
        Assert.Equal([("s1:3", 3UL, "Alice", "one"), ("s1:4", 4UL, "Bob", "two"), ("s1:5", 5UL, "Alice", "three")],
            posted.Lines.Select(l => (l.EventId, l.Sequence, l.CharacterName, l.Text)));
        Assert.Equal(5UL, state.Sequence);
        Assert.Single(state.Chats.TakeChanges());
    }

    [Fact]
    public void ChatBatch_RepeatsRefusalsAndOneNewLine_EachJudgedAloneAndOnePlainChatPosted()
    {
        var state = new SystemState();
        SystemRules.Enter(Aurora, state, new EnterSystem(Alice, null), 1000);
        var earlier = SystemRules.Chat(Aurora, state, new ChatCommand("r0", "conn-a", "c1", "before"), 1500);
        state.Chats.TakeChanges();
        state.Outbox.Clear();

        var outcomes = SystemRules.ChatBatch(Aurora, state,
        [
            new ChatCommand("r0", "conn-a", "c1", "before"),  // said in an earlier turn
            new ChatCommand("r1", "conn-a", "c1", "new"),
            new ChatCommand("r1", "conn-a", "c1", "new"),     // twice in this batch
            new ChatCommand("r2", "conn-b", "c2", "absent"), // Bob is not here
            new ChatCommand("", "conn-a", "c1", "no id"),
            null,
        ], 2000);

        Assert.Equal(earlier, outcomes[0]);
        Assert.Equal((3UL, (Failure?)null), (outcomes[1].Sequence, outcomes[1].Error));
        Assert.Equal(outcomes[1], outcomes[2]);
        Assert.Equal(FailureCode.FailedPrecondition, outcomes[3].Error!.Code);
        Assert.Equal([FailureCode.InvalidArgument, FailureCode.InvalidArgument], outcomes.Skip(4).Select(o => o.Error!.Code));
        var posted = Assert.IsType<ChatPosted>(Assert.Single(state.Outbox));
        Assert.Equal(("s1:3", "new"), (posted.EventId, posted.Text));
        // The new line and Bob's refusal are remembered (saved in this turn's one slot); the repeats and the malformed are not.
        Assert.Equal(2, Assert.Single(state.Chats.TakeChanges()).Entries.Count);
    }

    [Fact]
    public void ChatBatch_OnlyRepeats_NothingRecordedNothingToSave()
    {
        var state = new SystemState();
        SystemRules.Enter(Aurora, state, new EnterSystem(Alice, null), 1000);
        SystemRules.Chat(Aurora, state, new ChatCommand("r0", "conn-a", "c1", "once"), 1500);
        state.Chats.TakeChanges();
        state.Outbox.Clear();

        SystemRules.ChatBatch(Aurora, state, [new ChatCommand("r0", "conn-a", "c1", "once"), new ChatCommand("r0", "conn-a", "c1", "once")], 2000);

        Assert.Empty(state.Outbox);
        Assert.False(state.Chats.HasUnsaved);
    }
}
