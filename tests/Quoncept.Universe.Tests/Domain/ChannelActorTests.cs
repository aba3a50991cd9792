using Quoncept.Contracts;

namespace Quoncept.Universe.Tests.Domain;

public sealed class ChannelActorTests : IAsyncLifetime
{
    private readonly UniverseSandbox _u = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _u.DisposeAsync();

    private static ChannelSay Say(string requestId, string who, string text) => new(requestId, "conn-" + who, who, text);

    [Fact]
    public async Task World_AnyoneSpeaks_SequenceNumbersOnTheChatTopic()
    {
        var first = await _u.Channel("world").SayAsync(Say("r1", "c1", "hello world"));
        var second = await _u.Channel("world").SayAsync(Say("r1", "c2", "hi alice"));

        Assert.Equal((1UL, 2UL), (first.Sequence, second.Sequence));
        var posted = _u.Probe.Chat.Cast<ChannelMessagePosted>().ToList();
        Assert.Equal([("world", 1UL, "Alice"), ("world", 2UL, "Bob")], posted.Select(p => (p.Channel, p.Sequence, p.CharacterName)));
        Assert.Equal("channel:world:2", posted[1].EventId);
        Assert.All(_u.Probe.All, p => Assert.True(p.SavedBeforePublish));
        Assert.Empty(_u.Probe.Events);
    }

    [Fact]
    public async Task Say_RepeatedRequestId_FirstAnswerOneMessage()
    {
        var first = await _u.Channel("world").SayAsync(Say("r1", "c1", "once"));
        var again = await _u.Channel("world").SayAsync(Say("r1", "c1", "once"));

        Assert.Equal(first, again);
        Assert.Single(_u.Probe.Chat);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("tab\tinside")]
    public async Task Say_BadText_InvalidArgument(string text)
    {
        var said = await _u.Channel("world").SayAsync(Say("r1", "c1", text));
        Assert.Equal(FailureCode.InvalidArgument, said.Error!.Code);
        Assert.Empty(_u.Probe.Chat);
    }

    [Fact]
    public async Task Say_TooLong_InvalidArgument()
    {
        var said = await _u.Channel("world").SayAsync(Say("r1", "c1", new string('x', ChatLimits.MaxTextLength + 1)));
        Assert.Equal(FailureCode.InvalidArgument, said.Error!.Code);
    }

    [Fact]
    public async Task Group_CreateJoinSayLeave_MembersOnlyAndHistoryOnJoin()
    {
        var created = await _u.Channel("traders").CreateAsync(new ChannelCreate("c1", false));
        Assert.Equal(("traders", "c1", 1), (created.Channel!.Name, created.Channel.OwnerId, created.Channel.MemberCount));
        Assert.Equal(["traders"], await _u.Social("c1").GetChannelsAsync());

        Assert.Equal(FailureCode.FailedPrecondition, (await _u.Channel("traders").SayAsync(Say("r1", "c2", "let me speak"))).Error!.Code);
        await _u.Channel("traders").SayAsync(Say("r1", "c1", "first"));
        await _u.Channel("traders").SayAsync(Say("r2", "c1", "second"));

        var joined = await _u.Channel("traders").JoinAsync(new ChannelJoin("c2"));
        Assert.Equal(["first", "second"], joined.History.Select(h => h.Text));
        Assert.Equal((2UL, 2), (joined.Channel!.Sequence, joined.Channel.MemberCount));
        Assert.Equal(3UL, (await _u.Channel("traders").SayAsync(Say("r2", "c2", "thanks"))).Sequence);

        var left = await _u.Channel("traders").LeaveAsync(new ChannelLeave("c2"));
        Assert.Equal(1, left.Channel!.MemberCount);
        Assert.Empty(await _u.Social("c2").GetChannelsAsync());
        Assert.Equal(FailureCode.FailedPrecondition, (await _u.Channel("traders").LeaveAsync(new ChannelLeave("c2"))).Error!.Code);
        Assert.Contains(_u.Probe.Events, e => e is ChannelMembershipChanged { Change: "joined", CharacterId: "c2" });
    }

    [Fact]
    public async Task Create_Twice_AlreadyExists_WorldTooAndBadNamesRefused()
    {
        await _u.Channel("traders").CreateAsync(new ChannelCreate("c1", false));

        Assert.Equal(FailureCode.AlreadyExists, (await _u.Channel("traders").CreateAsync(new ChannelCreate("c2", false))).Error!.Code);
        Assert.Equal(FailureCode.AlreadyExists, (await _u.Channel("world").CreateAsync(new ChannelCreate("c2", false))).Error!.Code);
        Assert.Equal(FailureCode.InvalidArgument, (await _u.Channel("Bad Name").CreateAsync(new ChannelCreate("c2", false))).Error!.Code);
        Assert.Equal(FailureCode.InvalidArgument, (await _u.Channel("x").CreateAsync(new ChannelCreate("c2", false))).Error!.Code);
        Assert.Equal(FailureCode.NotFound, (await _u.Channel("nowhere").JoinAsync(new ChannelJoin("c2"))).Error!.Code);
        Assert.Equal(FailureCode.InvalidArgument, (await _u.Channel("world").LeaveAsync(new ChannelLeave("c2"))).Error!.Code);
    }

    [Fact]
    public async Task Private_JoinNeedsTheOwnersInvitation()
    {
        await _u.Channel("council").CreateAsync(new ChannelCreate("c1", true));

        Assert.Equal(FailureCode.PermissionDenied, (await _u.Channel("council").JoinAsync(new ChannelJoin("c2"))).Error!.Code);
        Assert.Equal(FailureCode.PermissionDenied, (await _u.Channel("council").InviteAsync(new ChannelInvite("c2", "c3"))).Error!.Code);
        Assert.Equal(FailureCode.NotFound, (await _u.Channel("council").InviteAsync(new ChannelInvite("c1", "c404"))).Error!.Code);
        Assert.Null((await _u.Channel("council").InviteAsync(new ChannelInvite("c1", "c2"))).Error);

        var joined = await _u.Channel("council").JoinAsync(new ChannelJoin("c2"));

        Assert.Null(joined.Error);
        Assert.True(joined.Channel!.Private);
    }

    [Fact]
    public async Task Join_TooManyChannels_ResourceExhaustedAndNotAMember()
    {
        for (var i = 0; i < SocialLimits.MaxChannelsPerCharacter; i++)
        {
            Assert.Null((await _u.Channel("ch" + i).CreateAsync(new ChannelCreate("c1", false))).Error);
        }
        await _u.Channel("one-more").CreateAsync(new ChannelCreate("c2", false));

        var refused = await _u.Channel("one-more").JoinAsync(new ChannelJoin("c1"));

        Assert.Equal(FailureCode.ResourceExhausted, refused.Error!.Code);
        Assert.Equal(1, (await _u.Channel("one-more").GetAsync()).Channel!.MemberCount);
    }

    [Fact]
    public async Task History_KeepsTheLatestOnly()
    {
        await _u.Channel("busy").CreateAsync(new ChannelCreate("c1", false));
        for (var i = 1; i <= SocialLimits.HistoryKept + 5; i++) await _u.Channel("busy").SayAsync(Say("r" + i, "c1", "line " + i));

        var joined = await _u.Channel("busy").JoinAsync(new ChannelJoin("c2"));

        Assert.Equal(SocialLimits.HistoryOnJoin, joined.History.Count);
        Assert.Equal($"line {SocialLimits.HistoryKept + 5}", joined.History[^1].Text);
    }
}
