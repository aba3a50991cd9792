namespace Quoncept.Chatlog.Log;

/// <summary>One answer to a query: the lines, newest first, and where the next answer starts (null: there is no more).</summary>
internal sealed record ChatLogPage(IReadOnlyList<LoggedLine> Lines, string? Next);

/// <summary>
/// Answers <see cref="ChatLogQuery"/>: walks one index (<see cref="ChatLogQuery.Index"/>) from the newest hour of the
/// range to the oldest, each hour's pages from the last, each page's references from the newest, keeping those in
/// the range (and channel), then reads the lines it kept in one bulk read. It reads at most
/// <see cref="MaxPagesPerQuery"/> pages; a sparse match over a busy index may so return fewer lines than asked, with a
/// cursor to go on. Hours with no lines cost one key each in a bulk read of <see cref="HoursPerRead"/>.
/// </summary>
internal sealed class ChatLogReader(ILogStore store)
{
    public const int MaxPagesPerQuery = 32;
    public const int HoursPerRead = 48;

    public async Task<ChatLogPage> QueryAsync(ChatLogQuery query, CancellationToken cancellationToken)
    {
        var index = query.Index;
        var channelFilter = query.Character is not null ? query.Channel : null;
        var oldestHour = LogKeys.HourOf(query.FromUnixMs);
        var hour = query.Cursor?.Hour ?? LogKeys.HourOf(query.ToUnixMs - 1);
        var found = new List<LineRef>(query.Limit);
        var pagesLeft = MaxPagesPerQuery;
        LogCursor? next = null;

        while (hour >= oldestHour && next is null)
        {
            var chunk = new List<long>();
            for (var h = hour; h >= oldestHour && chunk.Count < HoursPerRead; h--) chunk.Add(h);
            var heads = await store.GetAsync([.. chunk.Select(h => LogKeys.Head(index, h))], cancellationToken).ConfigureAwait(false);
            foreach (var h in chunk)
            {
                if (!heads.TryGetValue(LogKeys.Head(index, h), out var storedHead)) continue;
                var pages = LogJson.Read<IndexHead>(storedHead).Pages;
                var resume = query.Cursor is { } c && c.Hour == h ? c : null;
                for (var p = Math.Min(resume?.Page ?? int.MaxValue, pages - 1); p >= 0; p--)
                {
                    if (pagesLeft-- == 0)
                    {
                        next = LogCursor.WholePage(h, p);
                        break;
                    }

                    var stored = await store.GetAsync([LogKeys.Page(index, h, p)], cancellationToken).ConfigureAwait(false);
                    if (!stored.TryGetValue(LogKeys.Page(index, h, p), out var storedPage)) continue;
                    var refs = LogJson.Read<IndexPage>(storedPage).Refs;
                    for (var i = refs.Count - 1; i >= 0; i--)
                    {
                        var r = refs[i];
                        if (resume is not null && p == resume.Page && LineRef.Compare(r, resume.Before) >= 0) continue;
                        if (r.At >= query.ToUnixMs || r.At < query.FromUnixMs) continue;
                        if (channelFilter is not null && r.Channel != channelFilter) continue;
                        found.Add(r);
                        if (found.Count == query.Limit)
                        {
                            next = new LogCursor(h, p, r.At, r.Id);
                            break;
                        }
                    }
                    if (next is not null) break;
                }
                if (next is not null) break;
            }
            hour = chunk[^1] - 1;
        }

        var lines = await store.GetAsync([.. found.Select(r => LogKeys.Line(r.Id))], cancellationToken).ConfigureAwait(false);
        var result = found.Select(r => lines.TryGetValue(LogKeys.Line(r.Id), out var line) ? LogJson.Read<LoggedLine>(line) : null).OfType<LoggedLine>().ToList();
        return new ChatLogPage(result, next?.Encode());
    }
}
