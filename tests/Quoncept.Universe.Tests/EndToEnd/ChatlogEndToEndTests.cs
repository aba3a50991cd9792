using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Quoncept.Chatlog.Log;
using Quoncept.Client;
using Quoncept.Contracts;

namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>
/// The firehose and the chat log on the running universe: what players say (system chat, world and group channel
/// lines, a direct message, a mail, over both gateways) reaches the chatlog app through topic "chat" and is found
/// through GET /chatlog by character, channel and time range; a redelivered event is logged once; bad queries
/// are 400; the CLI searches it.
/// </summary>
[Collection(UniverseCollection.Name)]
public sealed class ChatlogEndToEndTests(UniverseFixture universe) : IDisposable
{
    private readonly ChatlogApi _log = new(universe);

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task Firehose_EveryKindOfLine_FoundByCharacterChannelAndTimeRangeOnceEvenWhenRedelivered()
    {
        var group = universe.Users.TakeGroup(2);
        var (speaker, listener) = (group[0], group[1]);
        var a = await LogInAsync(universe.A, speaker.Username);
        await using var _a = a.Connection;
        var b = await LogInAsync(universe.B, listener.Username);
        await using var _b = b.Connection;
        var systemChannel = LoggedLine.SystemChannelPrefix + a.Login.System.System.Id;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var channel = "log-" + tag;
        await _log.WaitUntilItHearsAsync(a.Connection, speaker.CharacterId);

        // A few milliseconds apart, so that "newest first" has one answer (lines of one millisecond go by event id).
        var before = Now() - 1;
        await a.Connection.ChatAsync($"system {tag}");
        await Task.Delay(5);
        await a.Connection.SayAsync("world", $"world {tag}");
        await a.Connection.CreateChannelAsync(channel);
        await a.Connection.SayAsync(channel, $"group {tag}");
        await Task.Delay(5);
        await a.Connection.SendDirectAsync(listener.CharacterId, $"direct {tag}");
        await Task.Delay(5);
        await a.Connection.SendMailAsync(listener.CharacterId, $"subject {tag}", $"mail {tag}");
        var after = Now() + 1;

        var bySpeaker = await _log.EventuallyAsync($"character={speaker.CharacterId}&from={before}", lines => lines.Count(l => l.Text.EndsWith(tag, StringComparison.Ordinal)) == 5);
        Assert.Equal(
            [(LineKinds.Mail, (string?)null, listener.CharacterId), (LineKinds.Direct, null, listener.CharacterId), (LineKinds.Channel, channel, null), (LineKinds.Channel, "world", null), (LineKinds.System, systemChannel, null)],
            bySpeaker.Where(l => l.Text.EndsWith(tag, StringComparison.Ordinal)).Select(l => (l.Kind, l.Channel, l.ToCharacterId)));
        Assert.Equal($"subject {tag}", bySpeaker[0].Subject);
        Assert.All(bySpeaker, l => Assert.Equal(speaker.CharacterId, l.FromCharacterId));

        var byListener = (await _log.QueryAsync($"character={listener.CharacterId}&from={before}")).Lines;
        Assert.Equal([$"mail {tag}", $"direct {tag}"], byListener.Select(l => l.Text));
        Assert.Equal([$"group {tag}"], (await _log.QueryAsync($"channel={channel}")).Lines.Select(l => l.Text));
        Assert.Contains((await _log.QueryAsync($"channel=world&from={before}&to={after}")).Lines, l => l.Text == $"world {tag}");
        Assert.Contains((await _log.QueryAsync($"channel={Uri.EscapeDataString(systemChannel)}&from={before}")).Lines, l => l.Text == $"system {tag}");
        Assert.Equal([$"system {tag}"], (await _log.QueryAsync($"character={speaker.CharacterId}&channel={Uri.EscapeDataString(systemChannel)}&from={before}&to={after}")).Lines
            .Where(l => l.Text.EndsWith(tag, StringComparison.Ordinal)).Select(l => l.Text));
        Assert.DoesNotContain((await _log.QueryAsync($"character={speaker.CharacterId}&from={before - 60_000}&to={before}")).Lines, l => l.Text.EndsWith(tag, StringComparison.Ordinal));
        Assert.Empty((await _log.QueryAsync($"character={listener.CharacterId}&from={after}")).Lines);

        // Pages of two, newest first, by the cursor: the same five lines, none twice.
        var paged = new List<string>();
        string? next = null;
        do
        {
            var page = await _log.QueryAsync($"character={speaker.CharacterId}&from={before}&to={after}&limit=2" + (next is null ? "" : $"&cursor={next}"));
            Assert.True(page.Lines.Count <= 2);
            paged.AddRange(page.Lines.Select(l => l.EventId));
            next = page.Next;
        }
        while (next is not null);
        Assert.Equal(bySpeaker.Where(l => l.AtUnixMs <= after).Select(l => l.EventId), paged);

        // The sidecar delivers at least once: the same CloudEvent again is answered SUCCESS and logged once.
        var direct = byListener.Single(l => l.Kind == LineKinds.Direct);
        var again = new DirectMessageSent(listener.CharacterId, ulong.Parse(direct.EventId.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture), speaker.CharacterId, direct.FromName, direct.Text, true)
        {
            EventId = direct.EventId,
            OccurredAtUnixMs = direct.AtUnixMs,
        };
        Assert.Equal("SUCCESS", await _log.DeliverAsync(again));
        Assert.Equal("SUCCESS", await _log.DeliverAsync(again));
        Assert.Equal([$"mail {tag}", $"direct {tag}"], (await _log.QueryAsync($"character={listener.CharacterId}&from={before}")).Lines.Select(l => l.Text));

        // The CLI finds them through the same API.
        var (code, output) = await UniverseTests.RunCliAsync(["chatlog", "search", "--chatlog", universe.Chatlog.ToString(), "--character", listener.CharacterId, "--from", before.ToString(System.Globalization.CultureInfo.InvariantCulture)], "");
        Assert.True(code == 0, output);
        Assert.Contains($"[mail to {listener.CharacterId}] {direct.FromName} ({speaker.CharacterId}): subject {tag} | mail {tag}", output);
        Assert.Contains($"[direct to {listener.CharacterId}] {direct.FromName} ({speaker.CharacterId}): direct {tag}", output);
    }

    [Fact]
    public async Task Firehose_BulkWithEntriesThatCannotBeLogged_ThoseDroppedTheLineLogged()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var at = Now();
        var good = new ChannelMessagePosted($"bulk-{tag}", 1, "pilot000006", "Pilot", $"kept {tag}") { EventId = $"channel:bulk-{tag}:1", OccurredAtUnixMs = at };

        var statuses = await _log.DeliverBulkAsync(
            new { specversion = "1.0", id = "a string", data = "not an event" },
            ChatlogApi.CloudEvent(new CharacterMoved("pilot000006", "s0001", "s0002") { EventId = $"moved-{tag}", OccurredAtUnixMs = at }),
            ChatlogApi.CloudEvent(good with { EventId = $"channel/bulk-{tag}/2" }),
            new { specversion = "1.0", id = "no data" },
            ChatlogApi.CloudEvent(good));

        Assert.Equal(["DROP", "DROP", "DROP", "DROP", "SUCCESS"], statuses);
        Assert.Equal([$"kept {tag}"], (await _log.QueryAsync($"channel=bulk-{tag}")).Lines.Select(l => l.Text));
    }

    [Fact]
    public async Task Firehose_ChatsPosted_EachOfItsLinesLoggedOnce()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var system = $"b{tag}";
        var at = Now();
        var lines = Enumerable.Range(1, 3).Select(i => new ChatPosted(system, (ulong)i, "pilot000006", "Pilot", $"batched {i} {tag}") { EventId = $"{system}:{i}", OccurredAtUnixMs = at + i }).ToList();
        var batch = new ChatsPosted(system, 3, lines) { EventId = $"{system}:1..3", OccurredAtUnixMs = at };

        Assert.Equal(["SUCCESS", "SUCCESS"], await _log.DeliverBulkAsync(ChatlogApi.CloudEvent(batch), ChatlogApi.CloudEvent(batch)));

        var logged = (await _log.QueryAsync($"channel={Uri.EscapeDataString(LoggedLine.SystemChannelPrefix + system)}")).Lines;
        Assert.Equal([$"batched 3 {tag}", $"batched 2 {tag}", $"batched 1 {tag}"], logged.Select(l => l.Text));
        Assert.Equal([$"{system}:3", $"{system}:2", $"{system}:1"], logged.Select(l => l.EventId));
    }

    [Theory]
    [InlineData("character=a/b", "character: 'a/b' is not a character id")]
    [InlineData("channel=No", "channel: a channel name starts with a lowercase letter or a digit")]
    [InlineData("from=yesterday", "from: 'yesterday' is not a time in unix milliseconds")]
    [InlineData("from=10&to=5", "from (10) must be before to (5)")]
    [InlineData("from=0&to=9999999999999", "the range from 0 to 9999999999999 is longer than 31 days")]
    [InlineData("limit=0", "limit: '0' is not a whole number from 1 to 500")]
    [InlineData("limit=5&limit=6", "parameter 'limit' is given 2 times")]
    [InlineData("cursor=%25%25", "cursor: not a cursor this log gave out")]
    [InlineData("who=alice", "unknown parameter 'who'")]
    public async Task Query_BadParameter_400NamingIt(string query, string expected)
    {
        using var response = await _log.Http.GetAsync(new Uri($"/chatlog?{query}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var failure = await response.Content.ReadFromJsonAsync<Failure>(WireJson.Options);
        Assert.Equal(FailureCode.InvalidArgument, failure!.Code);
        Assert.StartsWith(expected, failure.Message);
    }

    [Fact]
    public async Task Cli_Tail_PrintsALineSaidAfterItStarted()
    {
        var speaker = universe.Users.Take();
        var a = await LogInAsync(universe.B, speaker.Username);
        await using var _a = a.Connection;
        await _log.WaitUntilItHearsAsync(a.Connection, speaker.CharacterId);
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { RepoPaths.AppDll("client/Quoncept.Cli", "quoncept"), "chatlog", "tail", "--chatlog", universe.Chatlog.ToString(), "--character", speaker.CharacterId, "--last", "0", "--interval-ms", "200" })
        {
            info.ArgumentList.Add(arg);
        }
        using var tail = System.Diagnostics.Process.Start(info)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        tail.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        tail.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        tail.BeginOutputReadLine();
        tail.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow + ChatlogApi.Patience;
            while (!output.Any(l => l.StartsWith("following ", StringComparison.Ordinal)) && DateTime.UtcNow < deadline) await Task.Delay(100);
            var text = "tailed " + Guid.NewGuid().ToString("N")[..8];
            await a.Connection.ChatAsync(text);
            while (!output.Any(l => l.EndsWith($"({speaker.CharacterId}): {text}", StringComparison.Ordinal)) && DateTime.UtcNow < deadline) await Task.Delay(100);

            Assert.True(output.Count(l => l.EndsWith($"({speaker.CharacterId}): {text}", StringComparison.Ordinal)) == 1, string.Join("\n", output));
            Assert.DoesNotContain(output, l => l.Contains("is the chat log listening?", StringComparison.Ordinal));
        }
        finally
        {
            tail.Kill(entireProcessTree: true);
            await tail.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Cli_Search_ChatlogNotThere_SaysWhereItLookedAndFails()
    {
        var (code, output) = await UniverseTests.RunCliAsync(["chatlog", "search", "--chatlog", $"http://127.0.0.1:{FreePorts.Take(1)[0]}"], "");
        Assert.Equal(1, code);
        Assert.Contains("chatlog: cannot query", output);
        Assert.Contains("QUONCEPT_CHATLOG", output);
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static async Task<(QuonceptConnection Connection, Quoncept.V1.LoginResult Login)> LogInAsync(QuonceptClient gateway, string username)
    {
        var session = (await gateway.CreateSessionAsync(username)).Value;
        var connection = await gateway.ConnectAsync(session);
        return (connection, (await connection.LoginAsync()).Value);
    }
}
