using Microsoft.Extensions.Options;
using Quoncept.Contracts;
using Quoncept.Gateway;
using Quoncept.Gateway.Connections;
using Quoncept.Gateway.Social;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.Gateway;

public sealed class SocialRouterTests
{
    private static SocialRouter NewRouter(int recent = 8) => new(Options.Create(new GatewayOptions { RecentEventsPerSystem = recent }));

    private static ClientConnection Connection(string character, int capacity = 16) =>
        new($"conn-{character}", new SessionIdentity(character, $"sess-{character}", character), capacity);

    private static ChannelMessagePosted Line(string channel, ulong seq) =>
        new(channel, seq, "speaker", "Speaker", $"line {seq}") { EventId = $"channel:{channel}:{seq}", OccurredAtUnixMs = 1 };

    private static List<ServerMessage> Drain(ClientConnection connection)
    {
        var written = new List<ServerMessage>();
        connection.Complete();
        connection.RunWriterAsync((m, _) => { written.Add(m.Message); return Task.CompletedTask; }, TimeSpan.FromSeconds(1), CancellationToken.None).GetAwaiter().GetResult();
        return written;
    }

    [Fact]
    public void World_EveryRegisteredConnectionOnceRedeliveryDropped()
    {
        var router = NewRouter();
        var (alice, bob, stranger) = (Connection("alice"), Connection("bob"), Connection("stranger"));
        router.Register(alice, "Alice", [], []);
        router.Register(bob, "Bob", [], []);

        Assert.Equal(2, router.Deliver(Line("world", 1)));
        Assert.Equal(0, router.Deliver(Line("world", 1)));

        Assert.Single(Drain(alice));
        Assert.Single(Drain(bob));
        Assert.Empty(Drain(stranger));
    }

    [Fact]
    public void Channel_JoinAfterAnswer_ReplaysOnlyLinesNewerThanTheAnswer()
    {
        var router = NewRouter();
        var alice = Connection("alice");
        var session = router.Register(alice, "Alice", [], []);
        router.Deliver(Line("traders", 4));
        router.Deliver(Line("traders", 5));

        router.Join(alice, session, "traders", 4);
        router.Deliver(Line("traders", 6));
        router.Deliver(Line("other", 7));

        Assert.Equal([5UL, 6UL], Drain(alice).Select(m => m.ChannelMessage.Sequence));
    }

    [Fact]
    public void Unregister_NoMoreLinesDirectOrPresence()
    {
        var router = NewRouter();
        var alice = Connection("alice");
        router.Register(alice, "Alice", ["traders"], [new FriendView("bob", "Bob", false)]);
        router.Unregister(alice);

        router.Deliver(Line("world", 1));
        router.Deliver(Line("traders", 1));
        router.Deliver(new DirectMessageSent("alice", 1, "bob", "Bob", "hi", true) { EventId = "direct:alice:1", OccurredAtUnixMs = 1 });
        router.Deliver(new CharacterLoggedIn("bob", "s1") { EventId = "x", OccurredAtUnixMs = 1 });

        Assert.Empty(Drain(alice));
    }

    [Fact]
    public void Direct_LiveToTheRecipientOnlyKeptOnesAndRepeatsNot()
    {
        var router = NewRouter();
        var (alice, bob) = (Connection("alice"), Connection("bob"));
        router.Register(alice, "Alice", [], []);
        router.Register(bob, "Bob", [], []);
        DirectMessageSent Direct(ulong seq, bool live) => new("alice", seq, "bob", "Bob", $"dm {seq}", live) { EventId = $"direct:alice:{seq}", OccurredAtUnixMs = 1 };

        Assert.Equal(1, router.Deliver(Direct(1, live: true)));
        Assert.Equal(0, router.Deliver(Direct(1, live: true)));
        Assert.Equal(0, router.Deliver(Direct(2, live: false)));

        Assert.Equal(["dm 1"], Drain(alice).Select(m => m.DirectMessage.Text));
        Assert.Empty(Drain(bob));
    }

    [Fact]
    public void Friends_PresenceToFollowersNewestOnly()
    {
        var router = NewRouter();
        var alice = Connection("alice");
        router.Register(alice, "Alice", [], [new FriendView("bob", "Bob", false)]);

        router.Deliver(new CharacterLoggedIn("bob", "s1") { EventId = "a", OccurredAtUnixMs = 10 });
        router.Deliver(new CharacterLoggedOut("bob", "s1", "logout") { EventId = "b", OccurredAtUnixMs = 5 });
        router.Deliver(new CharacterLoggedIn("carol", "s1") { EventId = "c", OccurredAtUnixMs = 11 });

        var presence = Assert.Single(Drain(alice)).FriendPresence;
        Assert.Equal(("bob", "Bob", true), (presence.CharacterId, presence.Name, presence.Online));
    }

    [Theory]
    [InlineData(LiveKind.SystemPresence, ServerMessage.BodyOneofCase.CharacterArrived)]
    [InlineData(LiveKind.SystemChat, ServerMessage.BodyOneofCase.ChatMessage)]
    [InlineData(LiveKind.Channels, ServerMessage.BodyOneofCase.ChannelMessage)]
    [InlineData(LiveKind.Direct, ServerMessage.BodyOneofCase.DirectMessage)]
    [InlineData(LiveKind.Mail, ServerMessage.BodyOneofCase.MailArrived)]
    [InlineData(LiveKind.Friends, ServerMessage.BodyOneofCase.FriendPresence)]
    public void LiveKindFilter_OnlyTheChosenKindPassesAnswersAlways(LiveKind kind, ServerMessage.BodyOneofCase body)
    {
        var (mask, error) = LiveKindFilter.MaskOf([kind]);

        Assert.Null(error);
        Assert.True(LiveKindFilter.Allows(mask, body));
        Assert.False(LiveKindFilter.Allows(0, body));
        Assert.False(LiveKindFilter.Allows(LiveKindFilter.All & ~mask, body));
        Assert.True(LiveKindFilter.Allows(0, ServerMessage.BodyOneofCase.Terminate));
        Assert.True(LiveKindFilter.Allows(0, ServerMessage.BodyOneofCase.ChannelSaid));
        Assert.Equal([kind], LiveKindFilter.KindsOf(mask));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    public void LiveKindFilter_UnknownKind_IsAnError(int kind)
    {
        Assert.NotNull(LiveKindFilter.MaskOf([(LiveKind)kind]).Error);
    }

    [Fact]
    public void ClientConnection_UnwantedLiveEventNotQueuedAnswersAre()
    {
        var alice = Connection("alice");
        alice.WantedLiveKinds = 0;

        Assert.False(alice.TryEnqueue(new ServerMessage { ChatMessage = new ChatMessage { Text = "x" } }));
        Assert.True(alice.TryEnqueue(new ServerMessage { RequestId = "r1", ChatResult = new ChatResult { Sequence = 1 } }));

        Assert.Equal([ServerMessage.BodyOneofCase.ChatResult], Drain(alice).Select(m => m.BodyCase));
    }
}
