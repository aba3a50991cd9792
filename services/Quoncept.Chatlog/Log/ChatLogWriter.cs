using Microsoft.Extensions.Logging;

namespace Quoncept.Chatlog.Log;

/// <summary>
/// Adds lines to the log, each at most once. One transaction per line writes the line, and in each of its indexes
/// (<see cref="LogKeys.IndexesOf"/>) the hour's head and last page, every key with the etag it was read with (a
/// new key first-write). A line whose key exists is a repeat (pub/sub delivers at least once) and changes nothing.
/// Every line touches the hour of index "all", so concurrent deliveries would mostly collide: a writer logs one line at
/// a time. Two writers (replicas of the app) meet at the etags: the loser reads again and retries, and then finds the
/// line if the winner was logging the same one.
/// </summary>
internal sealed class ChatLogWriter(ILogStore store, ILogger<ChatLogWriter> logger)
{
    public const int MaxAttempts = 8;

    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>True when the line was added; false when it was already there.</summary>
    public async Task<bool> AppendAsync(LoggedLine line, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await AppendOneAsync(line, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<bool> AppendOneAsync(LoggedLine line, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var writes = await PlanAsync(line, cancellationToken).ConfigureAwait(false);
            if (writes is null) return false;
            try
            {
                await store.CommitAsync(writes, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < MaxAttempts)
            {
                // An etag that no longer matches (another writer of the same hour came first) or a failed store:
                // read again and decide again.
                logger.LogDebug(e, "Logging {EventId} conflicted (attempt {Attempt}); reading again", line.EventId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(5 * attempt * Random.Shared.Next(1, 4)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The writes that add <paramref name="line"/> as the store is now; null when it is already logged.</summary>
    private async Task<List<LogWrite>?> PlanAsync(LoggedLine line, CancellationToken cancellationToken)
    {
        var hour = LogKeys.HourOf(line.AtUnixMs);
        var indexes = LogKeys.IndexesOf(line);
        var lineKey = LogKeys.Line(line.EventId);
        var heads = await store.GetAsync([lineKey, .. indexes.Select(i => LogKeys.Head(i, hour))], cancellationToken).ConfigureAwait(false);
        if (heads.ContainsKey(lineKey)) return null;

        var lastPages = indexes
            .Select(i => heads.TryGetValue(LogKeys.Head(i, hour), out var h) ? LogKeys.Page(i, hour, LogJson.Read<IndexHead>(h).Pages - 1) : null)
            .OfType<string>().ToList();
        var pages = await store.GetAsync(lastPages, cancellationToken).ConfigureAwait(false);

        var writes = new List<LogWrite> { new(lineKey, LogJson.Write(line), null) };
        var reference = new LineRef(line.AtUnixMs, line.EventId, line.Channel);
        foreach (var index in indexes)
        {
            var headKey = LogKeys.Head(index, hour);
            heads.TryGetValue(headKey, out var storedHead);
            var count = storedHead is null ? 0 : LogJson.Read<IndexHead>(storedHead).Pages;
            StoredValue? storedPage = null;
            if (count > 0 && !pages.TryGetValue(LogKeys.Page(index, hour, count - 1), out storedPage))
            {
                throw new InvalidOperationException($"index {headKey} counts {count} pages but page {count - 1} is missing");
            }

            var page = storedPage is null ? null : LogJson.Read<IndexPage>(storedPage);
            if (page is null || page.Refs.Count >= LogKeys.PageSize)
            {
                writes.Add(new(LogKeys.Page(index, hour, count), LogJson.Write(new IndexPage([reference])), null));
                count++;
            }
            else
            {
                page.Insert(reference);
                writes.Add(new(LogKeys.Page(index, hour, count - 1), LogJson.Write(page), storedPage!.ETag));
            }
            // The head is written by every line, even when its count stays: its etag is what orders two writers of the hour.
            writes.Add(new(headKey, LogJson.Write(new IndexHead(count)), storedHead?.ETag));
        }
        return writes;
    }
}
