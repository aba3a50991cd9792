using Quoncept.Contracts;

namespace Quoncept.Universe.Tests.Domain;

public sealed class SocialActorTests : IAsyncLifetime
{
    private readonly UniverseSandbox _u = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _u.DisposeAsync();

    private static DirectCommand Direct(string requestId, string from, string text) => new(requestId, "conn-" + from, from, from + "-name", text);

    private static MailCommand Mail(string requestId, string from, string subject = "hi", string body = "a body") => new(requestId, "conn-" + from, from, from + "-name", subject, body);

    [Fact]
    public async Task ReceiveDirect_Offline_KeptAndHandedOverOnceAtLogin()
    {
        var sent = await _u.Social("c2").ReceiveDirectAsync(Direct("r1", "c1", "are you there?"));

        Assert.Null(sent.Error);
        Assert.Equal((1UL, false), (sent.Sequence, sent.DeliveredLive));
        var published = Assert.IsType<DirectMessageSent>(Assert.Single(_u.Probe.Chat));
        Assert.False(published.Live);
        Assert.All(_u.Probe.All, p => Assert.True(p.SavedBeforePublish));

        var login = await _u.Social("c2").ComeOnlineAsync(new ComeOnline("conn-b"));
        Assert.Equal("are you there?", Assert.Single(login.Waiting).Text);
        var again = await _u.Social("c2").ComeOnlineAsync(new ComeOnline("conn-b2"));
        Assert.Empty(again.Waiting);
    }

    [Fact]
    public async Task ReceiveDirect_Online_PublishedLiveNotKept()
    {
        await _u.Social("c2").ComeOnlineAsync(new ComeOnline("conn-b"));

        var sent = await _u.Social("c2").ReceiveDirectAsync(Direct("r1", "c1", "hello"));

        Assert.True(sent.DeliveredLive);
        Assert.True(Assert.IsType<DirectMessageSent>(Assert.Single(_u.Probe.Chat)).Live);
        await _u.Social("c2").SetPresenceAsync(new PresenceChange(false, _u.Host.Now.ToUnixTimeMilliseconds() + 1));
        Assert.Empty((await _u.Social("c2").ComeOnlineAsync(new ComeOnline("conn-b"))).Waiting);
    }

    [Fact]
    public async Task ReceiveDirect_RepeatedRequestId_OneMessageFirstAnswer()
    {
        var first = await _u.Social("c2").ReceiveDirectAsync(Direct("r1", "c1", "once"));
        var again = await _u.Social("c2").ReceiveDirectAsync(Direct("r1", "c1", "once"));
        var otherSender = await _u.Social("c2").ReceiveDirectAsync(Direct("r1", "c3", "same request id, other sender"));

        Assert.Equal(first.Sequence, again.Sequence);
        Assert.Equal(2UL, otherSender.Sequence);
        Assert.Equal(2, _u.Probe.Chat.Count);
    }

    [Fact]
    public async Task ReceiveDirect_BlockedSender_PermissionDeniedNothingPublished()
    {
        var blocked = await _u.Social("c2").BlockAsync(new BlockChange("c1", true));
        Assert.Equal(["c1"], blocked.Blocked);

        var sent = await _u.Social("c2").ReceiveDirectAsync(Direct("r1", "c1", "let me in"));
        var mail = await _u.Social("c2").ReceiveMailAsync(Mail("r2", "c1"));

        Assert.Equal(FailureCode.PermissionDenied, sent.Error!.Code);
        Assert.Equal(FailureCode.PermissionDenied, mail.Error!.Code);
        Assert.Empty(_u.Probe.Chat);
        Assert.Empty((await _u.Social("c2").ComeOnlineAsync(new ComeOnline("conn-b"))).Waiting);

        await _u.Social("c2").BlockAsync(new BlockChange("c1", false));
        Assert.Null((await _u.Social("c2").ReceiveDirectAsync(Direct("r3", "c1", "thanks"))).Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bell\u0007")]
    public async Task ReceiveDirect_BadText_InvalidArgument(string text)
    {
        var sent = await _u.Social("c2").ReceiveDirectAsync(Direct("r1", "c1", text));
        Assert.Equal(FailureCode.InvalidArgument, sent.Error!.Code);
        Assert.Empty(_u.Probe.Chat);
    }

    [Fact]
    public async Task ReceiveDirect_ToSelfOrUnknown_Refused()
    {
        Assert.Equal(FailureCode.InvalidArgument, (await _u.Social("c1").ReceiveDirectAsync(Direct("r1", "c1", "me"))).Error!.Code);
        Assert.Equal(FailureCode.NotFound, (await _u.Social("c404").ReceiveDirectAsync(Direct("r1", "c1", "anyone?"))).Error!.Code);
        Assert.Equal(FailureCode.InvalidArgument, (await _u.Social("c1").ReceiveDirectAsync(null!)).Error!.Code);
    }

    [Fact]
    public async Task ReceiveDirect_OfflineInboxFull_ResourceExhausted()
    {
        for (var i = 0; i < SocialLimits.MaxWaitingDirect; i++)
        {
            Assert.Null((await _u.Social("c2").ReceiveDirectAsync(Direct("r" + i, "c1", "line " + i))).Error);
        }

        var refused = await _u.Social("c2").ReceiveDirectAsync(Direct("over", "c1", "one too many"));

        Assert.Equal(FailureCode.ResourceExhausted, refused.Error!.Code);
        Assert.Equal(SocialLimits.MaxWaitingDirect, (await _u.Social("c2").ComeOnlineAsync(new ComeOnline("conn-b"))).Waiting.Count);
    }

    [Fact]
    public async Task Mail_SendListReadDelete_UnreadCountsAndSurvivesDeactivation()
    {
        var sent = await _u.Social("c2").ReceiveMailAsync(Mail("r1", "c1", "Meeting", "At Bepra, noon."));
        Assert.Equal(1UL, sent.MailId);
        var delivered = Assert.IsType<MailDelivered>(Assert.Single(_u.Probe.Chat));
        Assert.Equal(("c2", 1, "Meeting"), (delivered.ToCharacterId, delivered.Unread, delivered.Subject));

        await _u.Host.DeactivateAllAsync();
        var list = await _u.Social("c2").ListMailAsync();
        Assert.Equal(1, list.Unread);
        Assert.Equal(("Meeting", "c1", false), (list.Mails[0].Subject, list.Mails[0].FromCharacterId, list.Mails[0].Read));
        Assert.Equal(1, (await _u.Social("c2").ComeOnlineAsync(new ComeOnline("conn-b"))).UnreadMail);

        var read = await _u.Social("c2").ReadMailAsync(1);
        Assert.Equal(("At Bepra, noon.", true), (read.Body, read.Header!.Read));
        Assert.Equal(0, (await _u.Social("c2").ListMailAsync()).Unread);
        Assert.Equal(FailureCode.NotFound, (await _u.Social("c2").ReadMailAsync(7)).Error!.Code);

        var left = await _u.Social("c2").DeleteMailAsync(1);
        Assert.Empty(left.Mails);
        Assert.Equal(FailureCode.NotFound, (await _u.Social("c2").DeleteMailAsync(1)).Error!.Code);
    }

    [Fact]
    public async Task Mail_MailboxFull_ResourceExhaustedUntilOneIsDeleted()
    {
        for (var i = 0; i < SocialLimits.MailboxCapacity; i++)
        {
            Assert.Null((await _u.Social("c2").ReceiveMailAsync(Mail("r" + i, "c1"))).Error);
        }

        Assert.Equal(FailureCode.ResourceExhausted, (await _u.Social("c2").ReceiveMailAsync(Mail("over", "c1"))).Error!.Code);
        await _u.Social("c2").DeleteMailAsync(3);
        Assert.Null((await _u.Social("c2").ReceiveMailAsync(Mail("after", "c1"))).Error);
    }

    [Theory]
    [InlineData("", "body")]
    [InlineData("subject", "")]
    [InlineData("subject\n", "body")]
    public async Task Mail_BadSubjectOrBody_InvalidArgument(string subject, string body)
    {
        var sent = await _u.Social("c2").ReceiveMailAsync(Mail("r1", "c1", subject, body));
        Assert.Equal(FailureCode.InvalidArgument, sent.Error!.Code);
        Assert.Empty((await _u.Social("c2").ListMailAsync()).Mails);
    }

    [Fact]
    public async Task Mail_TooLongBody_InvalidArgument()
    {
        var sent = await _u.Social("c2").ReceiveMailAsync(Mail("r1", "c1", "long", new string('x', SocialLimits.MaxBodyLength + 1)));
        Assert.Equal(FailureCode.InvalidArgument, sent.Error!.Code);
    }

    [Fact]
    public async Task Follow_Friends_ListedWithTheirPresence()
    {
        await _u.Character("c2").LoginAsync(new LoginCommand("r1", "conn-b"));

        var friends = await _u.Social("c1").FollowAsync(new FollowChange("c2", true));
        await _u.Social("c1").FollowAsync(new FollowChange("c3", true));

        Assert.Equal(("c2", "Bob", true), (friends.Friends[0].CharacterId, friends.Friends[0].Name, friends.Friends[0].Online));
        var all = (await _u.Social("c1").GetFriendsAsync()).Friends;
        Assert.Equal([("c2", true), ("c3", false)], all.Select(f => (f.CharacterId, f.Online)));
        Assert.Equal(FailureCode.NotFound, (await _u.Social("c1").FollowAsync(new FollowChange("c404", true))).Error!.Code);
        Assert.Equal(FailureCode.InvalidArgument, (await _u.Social("c1").FollowAsync(new FollowChange("c1", true))).Error!.Code);
        Assert.Equal(["c3"], (await _u.Social("c1").FollowAsync(new FollowChange("c2", false))).Friends.Select(f => f.CharacterId));
    }

    [Fact]
    public async Task SetPresence_OlderChange_Ignored()
    {
        var now = _u.Host.Now.ToUnixTimeMilliseconds();
        await _u.Social("c2").ComeOnlineAsync(new ComeOnline("conn-b"));
        await _u.Social("c2").SetPresenceAsync(new PresenceChange(false, now - 60_000));

        Assert.True((await _u.Social("c2").ReceiveDirectAsync(Direct("r1", "c1", "still there?"))).DeliveredLive);
    }
}
