using Quoncept.Client;
using Quoncept.Chatlog.Log;
using Quoncept.Contracts;

namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>The chat log is state-store state (SQLite, the embedded default): it survives stopping and starting every process, and still drops repeats afterwards.</summary>
[Collection(PersistentUniverseCollection.Name)]
public sealed class ChatlogRestartTests(PersistentUniverseFixture universe) : IDisposable
{
    private readonly ChatlogApi _log = new(universe);

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task Chatlog_SurvivesAFullRestart_AndARedeliveryAfterItIsStillLoggedOnce()
    {
        var (speaker, listener) = (universe.Users.Take(), universe.Users.Take());
        var tag = Guid.NewGuid().ToString("N")[..8];
        var session = (await universe.A.CreateSessionAsync(speaker.Username)).Value;
        await using (var a = await universe.A.ConnectAsync(session))
        {
            await a.LoginAsync();
            await _log.WaitUntilItHearsAsync(a, speaker.CharacterId);
            await a.ChatAsync($"system {tag}");
            await a.SendMailAsync(listener.CharacterId, "kept", $"mail {tag}");
            await a.LogoutAsync();
        }
        var before = await _log.EventuallyAsync($"character={speaker.CharacterId}", lines => lines.Count(l => l.Text.EndsWith(tag, StringComparison.Ordinal)) == 2);

        await universe.RestartAsync();

        var after = (await _log.QueryAsync($"character={speaker.CharacterId}")).Lines;
        Assert.Equal(before.Select(l => l.EventId), after.Select(l => l.EventId));
        var mail = after.Single(l => l.Kind == LineKinds.Mail);
        var again = new MailDelivered(listener.CharacterId, ulong.Parse(mail.EventId.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture), speaker.CharacterId, mail.FromName, "kept", mail.Text, 1)
        {
            EventId = mail.EventId,
            OccurredAtUnixMs = mail.AtUnixMs,
        };
        Assert.Equal("SUCCESS", await _log.DeliverAsync(again));
        Assert.Equal([$"mail {tag}"], (await _log.QueryAsync($"character={listener.CharacterId}")).Lines.Select(l => l.Text));
    }
}
