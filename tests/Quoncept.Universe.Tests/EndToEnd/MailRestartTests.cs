using Quoncept.Client;

namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>Mail is actor state: it survives stopping and starting every process of the universe (SQLite, the embedded default).</summary>
[Collection(PersistentUniverseCollection.Name)]
public sealed class MailRestartTests(PersistentUniverseFixture universe)
{
    [Fact]
    public async Task Mail_SurvivesAFullRestart_UnreadCountAtLogin()
    {
        var (sender, recipient) = (universe.Users.Take(), universe.Users.Take());
        var senderSession = (await universe.A.CreateSessionAsync(sender.Username)).Value;
        var sent = 0UL;
        await using (var a = await universe.A.ConnectAsync(senderSession))
        {
            await a.LoginAsync();
            sent = (await a.SendMailAsync(recipient.CharacterId, "Before the restart", "Still here afterwards?")).Value.MailId;
            await a.LogoutAsync();
        }

        await universe.RestartAsync();

        var session = (await universe.B.CreateSessionAsync(recipient.Username)).Value;
        await using var b = await universe.B.ConnectAsync(session);
        var login = (await b.LoginAsync()).Value;
        Assert.Equal(1u, login.Social.UnreadMail);
        var mail = (await b.ReadMailAsync(sent)).Value;
        Assert.Equal(("Before the restart", "Still here afterwards?", sender.CharacterId), (mail.Header.Subject, mail.Body, mail.Header.FromCharacterId));
        Assert.Equal(0u, (await b.ListMailAsync()).Value.Unread);
        await b.LogoutAsync();
    }
}
