using System.Text.Json;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;
using Quoncept.Systems.Presence;

namespace Quoncept.Universe.Tests.Domain;

/// <summary>The remembered chat requests of a system and the saved index that says which slot may hold one.</summary>
public sealed class ChatRingTests
{
    private static string Key(string requestId) => RequestLog<ChatOutcome>.Key("conn-0", requestId);

    [Fact]
    public void Bits_KnownKey_SameBitsAsTheIndexesAlreadySaved()
    {
        // Saved heads hold these bits: a change of hash would hide remembered requests and let repeats be said twice.
        Assert.Equal((1UL << 14) | (1UL << 52), ChatSlotFilter.Bits(Key("r1")));
    }

    [Fact]
    public void Bits_AnyKey_OneOrTwoBitsThatTheSlotFilterHolds()
    {
        for (var i = 0; i < 1000; i++)
        {
            var bits = ChatSlotFilter.Bits(Key($"request-{i}"));
            Assert.InRange(ulong.PopCount(bits), 1UL, 2UL);
            Assert.True(ChatSlotFilter.MayHold(ChatSlotFilter.Of([new RequestLogEntry<ChatOutcome>(Key("other"), new(1, null)), new RequestLogEntry<ChatOutcome>(Key($"request-{i}"), new(2, null))]), bits));
        }
    }

    [Fact]
    public void TryGet_SlotThatMayHoldTheKeyNotRead_Throws()
    {
        var head = new SystemHead();
        var ring = new ChatRing(head);
        ring.Remember(Key("r1"), new ChatOutcome(2, null));
        ring.TakeChanges();
        var later = new ChatRing(head);

        Assert.Equal([0], later.SlotsToRead([Key("r1")]));
        Assert.Throws<InvalidOperationException>(() => later.TryGet(Key("r1"), out _));
        later.Load(0, [new RequestLogEntry<ChatOutcome>(Key("r1"), new ChatOutcome(2, null))]);
        Assert.True(later.TryGet(Key("r1"), out var reply));
        Assert.Equal(2UL, reply!.Sequence);
    }

    private static SystemHead Saved(string json) => JsonSerializer.Deserialize<SystemHead>(json, JsonSerializerOptions.Web)!;

    [Theory]
    [InlineData("""{"sequence":9,"chatCursor":3}""")]
    // Nobody ever entered, and the cursor came round after 64 turns of refused chats: still a head with a past.
    [InlineData("""{"sequence":0,"chatCursor":0}""")]
    public void SlotsToRead_HeadSavedBeforeTheIndex_EverySlot(string savedHead)
    {
        var ring = new ChatRing(Saved(savedHead));

        Assert.Equal(Enumerable.Range(0, ChatRing.Capacity), ring.SlotsToRead([Key("r1")]));
    }

    [Fact]
    public void SlotsToRead_SystemThatNeverSaved_NoSlot()
    {
        Assert.Empty(new ChatRing(new SystemHead()).SlotsToRead([Key("r1")]));
    }

    [Fact]
    public void SlotsToRead_CorruptIndex_EverySlotAndTheIndexRebuilt()
    {
        var head = Saved("""{"sequence":9,"chatCursor":1,"chatIndex":"AAAAAAA="}""");
        var ring = new ChatRing(head);

        var slots = ring.SlotsToRead([Key("r1")]);
        foreach (var slot in slots) ring.Load(slot, slot == 0 ? [new RequestLogEntry<ChatOutcome>(Key("r1"), new ChatOutcome(9, null))] : null);

        Assert.Equal(ChatRing.Capacity, slots.Count);
        Assert.Equal(ChatSlotFilter.IndexLength, head.ChatIndex!.Length);
        Assert.Equal([0], new ChatRing(head).SlotsToRead([Key("r1")]));
    }
}
