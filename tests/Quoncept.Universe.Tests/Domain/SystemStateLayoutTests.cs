using System.Text.Json;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;
using Quoncept.Systems.Presence;
using Quoncept.Universe.Tests.Sandbox;

namespace Quoncept.Universe.Tests.Domain;

/// <summary>What a system actor writes per turn, counted in the sandbox's store: a chat line's cost must not grow with the crowd.</summary>
public sealed class SystemStateLayoutTests : IAsyncLifetime
{
    private readonly UniverseSandbox _u = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _u.DisposeAsync();

    private static CharacterView Pilot(int i) => new($"p{i:D4}", $"Pilot {i}", "s9", false, 0);

    private async Task EnterAsync(int i) => Assert.Null((await _u.System("s1").EnterAsync(new EnterSystem(Pilot(i), null))).Error);

    private SavedTransaction LastSaveOfS1() => _u.Host.ActorState.Transactions.Last(t => t.ActorType == ActorTypes.System && t.ActorId == "s1");

    [Fact]
    public async Task Chat_FiveHundredPresent_WritesTheSameKeysAndBytesAsWithTwo()
    {
        await EnterAsync(0);
        await EnterAsync(1);
        Assert.Null((await _u.System("s1").ChatAsync(new ChatCommand("r1", "conn-0", "p0000", "same line"))).Error);
        var fewPresent = LastSaveOfS1();

        for (var i = 2; i < 502; i++) await EnterAsync(i);
        var join = LastSaveOfS1();
        Assert.Null((await _u.System("s1").ChatAsync(new ChatCommand("r2", "conn-0", "p0000", "same line"))).Error);
        var manyPresent = LastSaveOfS1();

        Assert.Equal(["chats-00", "state"], fewPresent.Keys.Select(k => k.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["chats-01", "state"], manyPresent.Keys.Select(k => k.Key).Order(StringComparer.Ordinal));
        // Only the sequence number's digits differ (3 vs 504, in the event and its id, and in the remembered answer).
        Assert.InRange(manyPresent.Bytes - fewPresent.Bytes, 0, 12);
        // About 1 KB, 684 bytes of which are the chat slot index (ChatSlotFilter), the same whatever the crowd.
        Assert.True(manyPresent.Bytes < 1280, $"a chat line wrote {manyPresent.Bytes} bytes");
        // Presence is written by arrivals and departures only.
        Assert.Contains(join.Keys, k => k.Key == SystemActor.PresenceKey);
        Assert.Equal(504UL, (await _u.System("s1").GetSnapshotAsync()).Snapshot!.Sequence);
    }

    [Fact]
    public async Task Chat_RepeatedAfterTheActorWasDeactivated_AnswersTheRememberedOutcome()
    {
        await EnterAsync(0);
        var first = await _u.System("s1").ChatAsync(new ChatCommand("r1", "conn-0", "p0000", "once"));

        await _u.Host.DeactivateAllAsync();
        var again = await _u.System("s1").ChatAsync(new ChatCommand("r1", "conn-0", "p0000", "once"));

        Assert.Equal(first, again);
        // Activation republishes the last saved turn's event (at least once), under the same id: still one line.
        Assert.Equal(["s1:2"], _u.Probe.Live.OfType<ChatPosted>().Select(e => e.EventId).Distinct());
    }

    [Fact]
    public async Task Chat_MoreThanTheRingHolds_ForgetsTheOldestAndKeepsTheRecent()
    {
        await EnterAsync(0);
        for (var i = 0; i < ChatRing.Capacity + 3; i++)
        {
            await _u.System("s1").ChatAsync(new ChatCommand($"r{i}", "conn-0", "p0000", "line"));
        }

        await _u.Host.DeactivateAllAsync();
        var recent = await _u.System("s1").ChatAsync(new ChatCommand($"r{ChatRing.Capacity + 2}", "conn-0", "p0000", "line"));
        var forgotten = await _u.System("s1").ChatAsync(new ChatCommand("r0", "conn-0", "p0000", "line"));

        Assert.Equal((ulong)ChatRing.Capacity + 4, recent.Sequence); // arrival 1, chats 2..
        Assert.Equal((ulong)ChatRing.Capacity + 5, forgotten.Sequence);
        Assert.Equal(ChatRing.Capacity, _u.Host.ActorState.Keys(ActorTypes.System, "s1").Count(k => k.StartsWith("chats-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Chat_FirstAfterActivationWithAFullRing_ReadsNoSlotThatCannotHoldItsRequest()
    {
        await EnterAsync(0);
        for (var i = 0; i < ChatRing.Capacity + 3; i++) await _u.System("s1").ChatAsync(new ChatCommand($"r{i}", "conn-0", "p0000", "line"));
        await _u.Host.DeactivateAllAsync();
        _u.Host.ActorState.ForgetReads();

        Assert.Null((await _u.System("s1").ChatAsync(new ChatCommand("fresh", "conn-0", "p0000", "line"))).Error);

        // The slot it writes (the state manager asks whether that key exists), and no other: each read is a round trip.
        var slotReads = _u.Host.ActorState.ReadsOf(ActorTypes.System, "s1").Where(k => k.StartsWith("chats-", StringComparison.Ordinal)).ToList();
        Assert.Equal([ChatRing.SlotKey(3)], slotReads);
    }

    [Fact]
    public async Task Chat_StateSavedBeforeTheSlotIndex_ReadsEverySlotOnceAnswersRepeatsAndSavesTheIndex()
    {
        await EnterAsync(0);
        var head = _u.Host.ActorState.Get<JsonElement>(ActorTypes.System, "s1", "state");
        _u.Host.ActorState.Set(ActorTypes.System, "s1", "state", new { sequence = 7UL, chatCursor = 6, outbox = Array.Empty<object>() });
        _u.Host.ActorState.Set(ActorTypes.System, "s1", ChatRing.SlotKey(5), new List<RequestLogEntry<ChatOutcome>> { new(RequestLog<ChatOutcome>.Key("conn-0", "old"), new ChatOutcome(7, null)) });
        Assert.True(head.TryGetProperty("chatIndex", out _));
        await _u.Host.DeactivateAllAsync();
        _u.Host.ActorState.ForgetReads();

        Assert.Equal(7UL, (await _u.System("s1").ChatAsync(new ChatCommand("old", "conn-0", "p0000", "line"))).Sequence);
        Assert.Equal(ChatRing.Capacity, _u.Host.ActorState.ReadsOf(ActorTypes.System, "s1").Count(k => k.StartsWith("chats-", StringComparison.Ordinal)));
        Assert.Equal(8UL, (await _u.System("s1").ChatAsync(new ChatCommand("new", "conn-0", "p0000", "line"))).Sequence);

        // The next activation knows from the saved index where "old" is: it reads that slot, and (a repeat writes nothing) no other.
        Assert.Equal(ChatSlotFilter.IndexLength, _u.Host.ActorState.Get<JsonElement>(ActorTypes.System, "s1", "state").GetProperty("chatIndex").GetBytesFromBase64().Length);
        await _u.Host.DeactivateAllAsync();
        _u.Host.ActorState.ForgetReads();
        Assert.Equal(7UL, (await _u.System("s1").ChatAsync(new ChatCommand("old", "conn-0", "p0000", "line"))).Sequence);
        Assert.Equal([ChatRing.SlotKey(5)], _u.Host.ActorState.ReadsOf(ActorTypes.System, "s1").Where(k => k.StartsWith("chats-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Load_StateSavedBeforePresenceHadItsOwnKey_KeepsWhoIsPresentAndMovesThem()
    {
        var alice = new CharacterView("c1", "Alice", "s1", true, 0);
        _u.Host.ActorState.Set(ActorTypes.System, "s1", "state", new
        {
            sequence = 4UL,
            present = new Dictionary<string, CharacterView> { ["c1"] = alice },
            chats = new { entries = Array.Empty<object>() },
            outbox = Array.Empty<object>(),
        });

        var snapshot = (await _u.System("s1").GetSnapshotAsync()).Snapshot!;
        Assert.Equal((4UL, "c1"), (snapshot.Sequence, Assert.Single(snapshot.Present).Id));
        Assert.Equal(5UL, (await _u.System("s1").ChatAsync(new ChatCommand("r1", "conn-a", "c1", "still here"))).Sequence);

        var present = _u.Host.ActorState.Get<Dictionary<string, CharacterView>>(ActorTypes.System, "s1", SystemActor.PresenceKey);
        Assert.Equal(["c1"], present.Keys);
        Assert.False(_u.Host.ActorState.Get<JsonElement>(ActorTypes.System, "s1", "state").TryGetProperty("present", out _));
    }

    [Fact]
    public async Task ChatBatch_ThreeLines_OneTransactionOfOneSlotAndTheHeadAndOneEvent()
    {
        for (var i = 0; i < 3; i++) await EnterAsync(i);

        var outcome = await _u.System("s1").ChatBatchAsync(new ChatBatch([.. Enumerable.Range(0, 3).Select(i => new ChatCommand("r1", $"conn-{i}", $"p{i:D4}", $"line {i}"))]));

        Assert.Null(outcome.Error);
        Assert.Equal([4UL, 5UL, 6UL], outcome.Outcomes.Select(o => o.Sequence));
        Assert.Equal(["chats-00", "state"], LastSaveOfS1().Keys.Select(k => k.Key).Order(StringComparer.Ordinal));
        var posted = Assert.Single(_u.Probe.Live.OfType<ChatsPosted>());
        Assert.Equal(["line 0", "line 1", "line 2"], posted.Lines.Select(l => l.Text));

        // Remembered across a deactivation: the same batch again answers the same and says nothing new.
        await _u.Host.DeactivateAllAsync();
        var again = await _u.System("s1").ChatBatchAsync(new ChatBatch([.. Enumerable.Range(0, 3).Select(i => new ChatCommand("r1", $"conn-{i}", $"p{i:D4}", $"line {i}"))]));
        Assert.Equal(outcome.Outcomes, again.Outcomes);
        Assert.Equal(6UL, (await _u.System("s1").GetSnapshotAsync()).Snapshot!.Sequence);
    }

    [Theory]
    [InlineData(0, "the request body is missing")]
    [InlineData(ChatLimits.MaxBatch + 1, "a chat batch holds at most 64 lines, this one 65")]
    public async Task ChatBatch_EmptyOrTooLarge_RefusedAsInvalidArgumentAndNothingSaid(int lines, string message)
    {
        await EnterAsync(0);

        var outcome = await _u.System("s1").ChatBatchAsync(new ChatBatch([.. Enumerable.Range(0, lines).Select(i => new ChatCommand($"r{i}", "conn-0", "p0000", "line"))]));

        Assert.Equal((FailureCode.InvalidArgument, message), (outcome.Error!.Code, outcome.Error.Message));
        Assert.Empty(outcome.Outcomes);
        Assert.Equal(1UL, (await _u.System("s1").GetSnapshotAsync()).Snapshot!.Sequence);
    }
}
