using Quoncept.Client;

namespace Quoncept.Universe.Tests.EndToEnd;

internal static class LiveEvents
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    /// <summary>The next event matching <paramref name="match"/> (others are skipped), or a TimeoutException naming what was awaited.</summary>
    public static async Task<LiveEvent> NextAsync(this QuonceptConnection connection, Func<LiveEvent, bool> match, string what, TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        var skipped = new List<string>();
        try
        {
            while (true)
            {
                var e = await connection.Events.ReadAsync(timeout.Token);
                if (match(e)) return e;
                skipped.Add(e.ToString());
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {what} within {(wait ?? DefaultWait).TotalSeconds} s; saw instead: [{string.Join("; ", skipped.TakeLast(10))}]");
        }
    }

    /// <summary>Every event that arrives within <paramref name="window"/>.</summary>
    public static async Task<List<LiveEvent>> CollectAsync(this QuonceptConnection connection, TimeSpan window)
    {
        var seen = new List<LiveEvent>();
        using var timeout = new CancellationTokenSource(window);
        try
        {
            while (true) seen.Add(await connection.Events.ReadAsync(timeout.Token));
        }
        catch (OperationCanceledException)
        {
        }
        return seen;
    }
}
