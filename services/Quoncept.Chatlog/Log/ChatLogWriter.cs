using Microsoft.Extensions.Logging;

namespace Quoncept.Chatlog.Log;

/// <summary>
/// Adds lines to the log, each at most once. One transaction per batch of lines (a bulk delivery of the firehose) writes
/// the new lines, and in each of their indexes (<see cref="LogKeys.IndexesOf"/>) the hour's head and the pages they
/// went into, every key with the etag it was read with (a new key first-write). So a busy log costs a few requests
/// per batch, not three per line. A line whose key exists is a repeat (pub/sub delivers at least once) and changes
/// nothing. Every line touches the hour of index "all", so concurrent batches would mostly collide: a writer logs one
/// batch at a time. Two writers (replicas of the app) meet at the etags: the loser reads again and retries, and then
/// finds the lines the winner logged.
/// </summary>
internal sealed class ChatLogWriter(ILogStore store, ILogger<ChatLogWriter> logger)
{
    public const int MaxAttempts = 8;

    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>True when the line was added; false when it was already there.</summary>
    public async Task<bool> AppendAsync(LoggedLine line, CancellationToken cancellationToken) =>
        (await AppendAsync([line], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Adds <paramref name="lines"/> in one transaction. For each, in order: true when it was added, false when it was
    /// already logged (or came earlier in the same batch). Throws when the store kept failing: then none was added.
    /// </summary>
    public async Task<IReadOnlyList<bool>> AppendAsync(IReadOnlyList<LoggedLine> lines, CancellationToken cancellationToken)
    {
        if (lines.Count == 0) return [];
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await AppendBatchAsync(lines, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<bool[]> AppendBatchAsync(IReadOnlyList<LoggedLine> lines, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (added, writes) = await PlanAsync(lines, cancellationToken).ConfigureAwait(false);
            if (writes.Count == 0) return added;
            try
            {
                await store.CommitAsync(writes, cancellationToken).ConfigureAwait(false);
                return added;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < MaxAttempts)
            {
                // An etag that no longer matches (another writer of the same hour came first) or a failed store:
                // read again and decide again.
                logger.LogDebug(e, "Logging {Count} line(s) from {EventId} conflicted (attempt {Attempt}); reading again", lines.Count, lines[0].EventId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(5 * attempt * Random.Shared.Next(1, 4)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Which of <paramref name="lines"/> are new as the store is now, and the writes that add them.</summary>
    private async Task<(bool[] Added, List<LogWrite> Writes)> PlanAsync(IReadOnlyList<LoggedLine> lines, CancellationToken cancellationToken)
    {
        var added = new bool[lines.Count];
        var lineKeys = new HashSet<string>(StringComparer.Ordinal);
        var heads = new Dictionary<string, (string Index, long Hour)>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            lineKeys.Add(LogKeys.Line(line.EventId));
            var hour = LogKeys.HourOf(line.AtUnixMs);
            foreach (var index in LogKeys.IndexesOf(line)) heads.TryAdd(LogKeys.Head(index, hour), (index, hour));
        }
        var stored = await store.GetAsync([.. lineKeys, .. heads.Keys], cancellationToken).ConfigureAwait(false);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var lastPages = new List<string>();
        foreach (var (headKey, (index, hour)) in heads)
        {
            var count = stored.TryGetValue(headKey, out var head) ? LogJson.Read<IndexHead>(head).Pages : 0;
            counts[headKey] = count;
            if (count > 0) lastPages.Add(LogKeys.Page(index, hour, count - 1));
        }
        var storedPages = await store.GetAsync(lastPages, cancellationToken).ConfigureAwait(false);
        foreach (var pageKey in lastPages)
        {
            if (!storedPages.ContainsKey(pageKey)) throw new InvalidOperationException($"index page {pageKey} is counted by its head but missing");
        }

        var writes = new List<LogWrite>();
        var pages = new Dictionary<string, IndexPage>(StringComparer.Ordinal);
        var logged = new HashSet<string>(StringComparer.Ordinal);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var lineKey = LogKeys.Line(line.EventId);
            if (stored.ContainsKey(lineKey) || !logged.Add(lineKey)) continue;
            added[i] = true;
            writes.Add(new(lineKey, LogJson.Write(line), null));
            var hour = LogKeys.HourOf(line.AtUnixMs);
            var reference = new LineRef(line.AtUnixMs, line.EventId, line.Channel);
            foreach (var index in LogKeys.IndexesOf(line))
            {
                var headKey = LogKeys.Head(index, hour);
                var count = counts[headKey];
                var lastKey = count > 0 ? LogKeys.Page(index, hour, count - 1) : null;
                // A last page counted by its head is either changed by this batch already or read above.
                var page = lastKey is null ? null : pages.TryGetValue(lastKey, out var changed) ? changed : LogJson.Read<IndexPage>(storedPages[lastKey]);
                if (page is null || page.Refs.Count >= LogKeys.PageSize)
                {
                    page = new IndexPage([reference]);
                    counts[headKey] = ++count;
                    pages[LogKeys.Page(index, hour, count - 1)] = page;
                }
                else
                {
                    page.Insert(reference);
                    pages[lastKey!] = page;
                }
                touched.Add(headKey);
            }
        }

        foreach (var (pageKey, page) in pages) writes.Add(new(pageKey, LogJson.Write(page), storedPages.TryGetValue(pageKey, out var read) ? read.ETag : null));
        // A head is written whenever its hour took a line, even when its count stays: its etag is what orders two writers of the hour.
        foreach (var headKey in touched)
        {
            writes.Add(new(headKey, LogJson.Write(new IndexHead(counts[headKey])), stored.TryGetValue(headKey, out var head) ? head.ETag : null));
        }
        return (added, writes);
    }
}
