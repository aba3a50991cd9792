using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using Quoncept.Chatlog.Log;
using Quoncept.Contracts;

namespace Quoncept.Universe.Tests.Chatlog;

/// <summary>
/// The chat log's rules without a sidecar: what a firehose event becomes, the index layout (hours, bounded pages),
/// at most once per event id under redelivery and concurrent writers, queries by character, channel and time range,
/// newest first, paged by cursor without gaps or repeats, and every bad query parameter refused.
/// </summary>
public sealed class ChatLogTests
{
    private static readonly long T0 = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private readonly MemoryLogStore _store = new();
    private readonly ChatLogWriter _writer;
    private readonly ChatLogReader _reader;

    public ChatLogTests()
    {
        _writer = new ChatLogWriter(_store, NullLogger<ChatLogWriter>.Instance);
        _reader = new ChatLogReader(_store);
    }

    [Fact]
    public void From_EachFirehoseEvent_OneLineWithItsChannelAndParties()
    {
        var system = LoggedLine.From(new ChatPosted("s0001", 3, "c1", "Alice", "hi") { EventId = "s0001:3", OccurredAtUnixMs = 5 })!;
        var channel = LoggedLine.From(new ChannelMessagePosted("world", 7, "c1", "Alice", "all") { EventId = "channel:world:7", OccurredAtUnixMs = 6 })!;
        var direct = LoggedLine.From(new DirectMessageSent("c2", 1, "c1", "Alice", "psst", true) { EventId = "direct:c2:1", OccurredAtUnixMs = 7 })!;
        var mail = LoggedLine.From(new MailDelivered("c2", 4, "c1", "Alice", "Subj", "Body", 1) { EventId = "mail:c2:4", OccurredAtUnixMs = 8 })!;

        Assert.Equal(new LoggedLine("s0001:3", LineKinds.System, "system:s0001", "c1", "Alice", null, null, "hi", 5), system);
        Assert.Equal(new LoggedLine("channel:world:7", LineKinds.Channel, "world", "c1", "Alice", null, null, "all", 6), channel);
        Assert.Equal(new LoggedLine("direct:c2:1", LineKinds.Direct, null, "c1", "Alice", "c2", null, "psst", 7), direct);
        Assert.Equal(new LoggedLine("mail:c2:4", LineKinds.Mail, null, "c1", "Alice", "c2", "Subj", "Body", 8), mail);
        Assert.Null(LoggedLine.From(new CharacterMoved("c1", "s1", "s2") { EventId = "m", OccurredAtUnixMs = 1 }));
        Assert.Equal([LogKeys.All, "character/c1", "character/c2"], LogKeys.IndexesOf(direct));
        Assert.Equal([LogKeys.All, "channel/system:s0001", "character/c1"], LogKeys.IndexesOf(system));
    }

    [Fact]
    public async Task AppendAsync_SameEventAgain_LoggedOnceAndNothingWritten()
    {
        var line = Line("channel:world:1", "c1", channel: "world", at: T0);
        Assert.True(await _writer.AppendAsync(line, default));
        var commits = _store.Commits;

        Assert.False(await _writer.AppendAsync(line, default));
        Assert.False(await _writer.AppendAsync(line with { Text = "changed on the way" }, default));

        Assert.Equal(commits, _store.Commits);
        var page = await QueryAsync(("channel", "world"));
        Assert.Equal(["channel:world:1"], page.Lines.Select(l => l.EventId));
        Assert.Equal("hello", page.Lines[0].Text);
    }

    [Fact]
    public async Task AppendAsync_MoreThanAPage_PagesBoundedAndCountedInTheHoursHead()
    {
        for (var i = 0; i < LogKeys.PageSize * 2 + 5; i++) await _writer.AppendAsync(Line($"e{i:D4}", "c1", channel: "world", at: T0 + i), default);

        var hour = LogKeys.HourOf(T0);
        Assert.Equal(3, _store.Read<IndexHead>(LogKeys.Head(LogKeys.All, hour)).Pages);
        Assert.Equal([LogKeys.PageSize, LogKeys.PageSize, 5], Enumerable.Range(0, 3).Select(p => _store.Read<IndexPage>(LogKeys.Page(LogKeys.All, hour, p)).Refs.Count));
        Assert.DoesNotContain(LogKeys.Page(LogKeys.All, hour, 3), _store.Keys);
    }

    [Fact]
    public async Task AppendAsync_BatchOverTwoPagesAndHours_OneCommitAndTheSameLayoutAsOneByOne()
    {
        var lines = Enumerable.Range(0, LogKeys.PageSize + 10)
            .Select(i => Line($"e{i:D4}", i % 2 == 0 ? "c1" : "c2", channel: "world", at: T0 + LogKeys.HourMs - 4 + i))
            .ToList();
        var oneByOne = new MemoryLogStore();
        var single = new ChatLogWriter(oneByOne, NullLogger<ChatLogWriter>.Instance);
        foreach (var line in lines) await single.AppendAsync(line, default);

        var added = await _writer.AppendAsync(lines, default);

        Assert.All(added, Assert.True);
        Assert.Equal(1, _store.Commits);
        Assert.Equal(oneByOne.Keys.Order(StringComparer.Ordinal), _store.Keys.Order(StringComparer.Ordinal));
        foreach (var key in _store.Keys.Where(k => k.StartsWith("idx/", StringComparison.Ordinal) && k.Count(c => c == '/') == 3))
        {
            Assert.Equal(oneByOne.Read<IndexPage>(key).Refs, _store.Read<IndexPage>(key).Refs);
        }
        var hour = LogKeys.HourOf(T0);
        Assert.Equal(1, _store.Read<IndexHead>(LogKeys.Head(LogKeys.All, hour)).Pages);
        Assert.Equal(2, _store.Read<IndexHead>(LogKeys.Head(LogKeys.All, hour + 1)).Pages);
        Assert.Equal(LogKeys.PageSize, _store.Read<IndexPage>(LogKeys.Page(LogKeys.All, hour + 1, 0)).Refs.Count);
    }

    [Fact]
    public async Task AppendAsync_BatchWithRepeatsInsideAndFromBefore_EachLineLoggedOnce()
    {
        var first = Line("channel:world:1", "c1", channel: "world", at: T0);
        var second = Line("channel:world:2", "c2", channel: "world", at: T0 + 1);
        await _writer.AppendAsync(first, default);

        var added = await _writer.AppendAsync([first, second, second with { Text = "again" }], default);

        Assert.Equal([false, true, false], added);
        var page = await QueryAsync(("channel", "world"));
        Assert.Equal(["channel:world:2", "channel:world:1"], page.Lines.Select(l => l.EventId));
        Assert.Equal(2, _store.Read<IndexPage>(LogKeys.Page(LogKeys.All, LogKeys.HourOf(T0), 0)).Refs.Count);
    }

    [Fact]
    public async Task AppendAsync_BatchAllLoggedBefore_NothingWritten()
    {
        var lines = new[] { Line("a", "c1", channel: "world", at: T0), Line("b", "c1", channel: "world", at: T0 + 1) };
        await _writer.AppendAsync(lines, default);
        var commits = _store.Commits;

        Assert.Equal([false, false], await _writer.AppendAsync(lines, default));
        Assert.Equal(commits, _store.Commits);
    }

    [Fact]
    public async Task AppendAsync_LinesArriveOutOfOrder_PageKeptSortedByTime()
    {
        foreach (var (id, at) in new[] { ("b", T0 + 20), ("a", T0 + 10), ("c", T0 + 30), ("a2", T0 + 10) })
        {
            await _writer.AppendAsync(Line(id, "c1", channel: "world", at: at), default);
        }

        Assert.Equal(["a", "a2", "b", "c"], _store.Read<IndexPage>(LogKeys.Page(LogKeys.All, LogKeys.HourOf(T0), 0)).Refs.Select(r => r.Id));
        Assert.Equal(["c", "b", "a2", "a"], (await QueryAsync()).Lines.Select(l => l.EventId));
    }

    [Fact]
    public async Task AppendAsync_AnotherWriterCommitsFirst_RetriesAndBothLinesAreLogged()
    {
        var other = new ChatLogWriter(_store, NullLogger<ChatLogWriter>.Instance);
        _store.BeforeCommit = () => other.AppendAsync(Line("first", "c2", channel: "world", at: T0 + 1), default);

        Assert.True(await _writer.AppendAsync(Line("second", "c1", channel: "world", at: T0 + 2), default));

        Assert.True(_store.Conflicts >= 1);
        Assert.Equal(["second", "first"], (await QueryAsync(("channel", "world"))).Lines.Select(l => l.EventId));
        Assert.Equal(["first", "second"], _store.Read<IndexPage>(LogKeys.Page(LogKeys.All, LogKeys.HourOf(T0), 0)).Refs.Select(r => r.Id));
    }

    [Fact]
    public async Task AppendAsync_RedeliveredWhileTheFirstDeliveryCommits_ExactlyOneLogsIt()
    {
        var line = Line("direct:c2:9", "c1", to: "c2", at: T0);
        var other = new ChatLogWriter(_store, NullLogger<ChatLogWriter>.Instance);
        var otherAdded = false;
        _store.BeforeCommit = async () => otherAdded = await other.AppendAsync(line, default);

        var added = await _writer.AppendAsync(line, default);

        Assert.True(otherAdded);
        Assert.False(added);
        Assert.Single((await QueryAsync(("character", "c2"))).Lines);
        Assert.Single(_store.Read<IndexPage>(LogKeys.Page("character/c1", LogKeys.HourOf(T0), 0)).Refs);
    }

    [Fact]
    public async Task QueryAsync_ByCharacter_LinesItSaidAndDirectMessagesAndMailToIt()
    {
        await _writer.AppendAsync(Line("s1:1", "c1", channel: "system:s1", at: T0 + 1), default);
        await _writer.AppendAsync(Line("channel:world:1", "c2", channel: "world", at: T0 + 2), default);
        await _writer.AppendAsync(Line("direct:c1:1", "c2", to: "c1", at: T0 + 3), default);
        await _writer.AppendAsync(Line("mail:c3:1", "c1", to: "c3", at: T0 + 4) with { Kind = LineKinds.Mail, Subject = "s" }, default);

        Assert.Equal(["mail:c3:1", "direct:c1:1", "s1:1"], (await QueryAsync(("character", "c1"))).Lines.Select(l => l.EventId));
        Assert.Equal(["direct:c1:1", "channel:world:1"], (await QueryAsync(("character", "c2"))).Lines.Select(l => l.EventId));
        Assert.Equal(["mail:c3:1"], (await QueryAsync(("character", "c3"))).Lines.Select(l => l.EventId));
        Assert.Equal(["s1:1"], (await QueryAsync(("character", "c1"), ("channel", "system:s1"))).Lines.Select(l => l.EventId));
        Assert.Empty((await QueryAsync(("character", "c9"))).Lines);
    }

    [Fact]
    public async Task QueryAsync_ByChannel_OnlyThatChannels()
    {
        await _writer.AppendAsync(Line("channel:world:1", "c1", channel: "world", at: T0 + 1), default);
        await _writer.AppendAsync(Line("channel:guild:1", "c1", channel: "guild", at: T0 + 2), default);
        await _writer.AppendAsync(Line("s1:4", "c1", channel: "system:s1", at: T0 + 3), default);

        Assert.Equal(["channel:guild:1"], (await QueryAsync(("channel", "guild"))).Lines.Select(l => l.EventId));
        Assert.Equal(["s1:4"], (await QueryAsync(("channel", "system:s1"))).Lines.Select(l => l.EventId));
        Assert.Equal(3, (await QueryAsync()).Lines.Count);
    }

    [Fact]
    public async Task QueryAsync_TimeRange_FromIncludedToExcludedAcrossHours()
    {
        var hour = LogKeys.HourMs;
        foreach (var (id, at) in new[] { ("h0", T0), ("h1", T0 + hour), ("h2", T0 + 2 * hour), ("h3", T0 + 3 * hour - 1) })
        {
            await _writer.AppendAsync(Line(id, "c1", channel: "world", at: at), default);
        }

        Assert.Equal(["h2", "h1"], (await QueryAsync(("from", $"{T0 + hour}"), ("to", $"{T0 + 3 * hour - 1}"))).Lines.Select(l => l.EventId));
        Assert.Equal(["h3", "h2", "h1", "h0"], (await QueryAsync(("from", $"{T0}"), ("to", $"{T0 + 3 * hour}"))).Lines.Select(l => l.EventId));
        Assert.Equal(["h0"], (await QueryAsync(("channel", "world"), ("from", $"{T0 - hour}"), ("to", $"{T0 + 1}"))).Lines.Select(l => l.EventId));
    }

    [Fact]
    public async Task QueryAsync_FollowingTheCursor_EveryLineOnceNewestFirst()
    {
        var all = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            // Three hours, several pages each, lines of two channels and two characters.
            var id = $"e{i:D4}";
            all.Add(id);
            await _writer.AppendAsync(Line(id, i % 2 == 0 ? "c1" : "c2", channel: i % 3 == 0 ? "guild" : "world", at: T0 + i * 36_000), default);
        }

        var seen = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await QueryAsync([("from", $"{T0}"), ("to", $"{T0 + 4 * LogKeys.HourMs}"), ("limit", "37"), .. next is null ? Array.Empty<(string, string)>() : [("cursor", next)]]);
            Assert.True(page.Lines.Count <= 37);
            seen.AddRange(page.Lines.Select(l => l.EventId));
            next = page.Next;
            pages++;
        }
        while (next is not null && pages < 50);

        Assert.Equal(all.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task QueryAsync_RareMatchBehindManyPages_StopsAtItsReadBudgetWithACursorThatFindsIt()
    {
        await _writer.AppendAsync(Line("rare", "c1", channel: "guild", at: T0), default);
        for (var i = 0; i < LogKeys.PageSize * (ChatLogReader.MaxPagesPerQuery + 2); i++)
        {
            await _writer.AppendAsync(Line($"w{i:D5}", "c1", channel: "world", at: T0 + 1 + i), default);
        }

        var first = await QueryAsync(("character", "c1"), ("channel", "guild"), ("from", $"{T0}"), ("to", $"{T0 + LogKeys.HourMs}"));
        Assert.Empty(first.Lines);
        Assert.NotNull(first.Next);
        var second = await QueryAsync(("character", "c1"), ("channel", "guild"), ("from", $"{T0}"), ("to", $"{T0 + LogKeys.HourMs}"), ("cursor", first.Next!));
        Assert.Equal(["rare"], second.Lines.Select(l => l.EventId));
        Assert.Null(second.Next);
    }

    [Fact]
    public void Parse_NoParameters_TheLastDayUpToAMinuteFromNow()
    {
        var (query, error) = ChatLogQuery.Parse([], T0);
        Assert.Null(error);
        Assert.Equal(new ChatLogQuery(null, null, T0 + 60_000 - 86_400_000, T0 + 60_000, ChatLogQuery.DefaultLimit, null), query);
        Assert.Equal(LogKeys.All, query!.Index);
    }

    [Theory]
    [InlineData("speaker", "c1", "unknown parameter 'speaker'")]
    [InlineData("character", "", "character: a character id is 1..64 characters")]
    [InlineData("character", "c/1", "character: 'c/1' is not a character id")]
    [InlineData("channel", "World", "channel: a channel name starts with a lowercase letter or a digit")]
    [InlineData("channel", "x", "channel: channel names are 2..32 characters")]
    [InlineData("channel", "system:", "channel: 'system:' is not system:<system id>")]
    [InlineData("from", "yesterday", "from: 'yesterday' is not a time in unix milliseconds")]
    [InlineData("from", "-5", "from: '-5' is not a time")]
    [InlineData("to", "99999999999999999999", "to: '99999999999999999999' is not a time")]
    [InlineData("limit", "0", "limit: '0' is not a whole number from 1 to 500")]
    [InlineData("limit", "501", "limit: '501' is not a whole number from 1 to 500")]
    [InlineData("limit", "ten", "limit: 'ten' is not a whole number")]
    [InlineData("cursor", "not-a-cursor!", "cursor: not a cursor this log gave out")]
    public void Parse_BadParameter_RefusedNamingIt(string name, string value, string expected)
    {
        var (query, error) = ChatLogQuery.Parse([new(name, new StringValues(value))], T0);
        Assert.Null(query);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void Parse_BadCombinations_Refused()
    {
        Assert.StartsWith("from (", ChatLogQuery.Parse([new("from", $"{T0}"), new("to", $"{T0}")], T0).Error);
        Assert.Contains("longer than 31 days", ChatLogQuery.Parse([new("from", "0"), new("to", $"{T0}")], T0).Error);
        Assert.StartsWith("parameter 'limit' is given 2 times", ChatLogQuery.Parse([new("limit", new StringValues(["1", "2"]))], T0).Error);
        var elsewhere = new LogCursor(LogKeys.HourOf(T0) - 100, 0, T0, "x").Encode();
        Assert.StartsWith("cursor: it belongs to another time range", ChatLogQuery.Parse([new("cursor", elsewhere)], T0).Error);
    }

    private async Task<ChatLogPage> QueryAsync(params (string Name, string Value)[] parameters)
    {
        var (query, error) = ChatLogQuery.Parse(parameters.Select(p => new KeyValuePair<string, StringValues>(p.Name, p.Value)), T0 + 4 * LogKeys.HourMs);
        Assert.True(query is not null, error);
        return await _reader.QueryAsync(query!, default);
    }

    private static LoggedLine Line(string id, string from, string? channel = null, string? to = null, long at = 0) =>
        new(id, channel is null ? LineKinds.Direct : LineKinds.Channel, channel, from, from.ToUpperInvariant(), to, null, "hello", at);
}
