using System.Globalization;
using System.Text.Json;

namespace Quoncept.Cli;

/// <summary>
/// quoncept chatlog tail: asks the chat log every interval for what was said since the newest line it printed
/// (less <see cref="Overlap"/>, so a line logged a little late, with an older time, still shows), prints the lines it
/// has not printed yet, oldest first, and remembers their event ids for as long as they can come back.
/// </summary>
internal sealed class ChatlogTail(HttpClient http, List<(string Name, string Value)> filters)
{
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    /// <summary>Pages followed per poll: beyond it, the rest waits for the next one.</summary>
    private const int MaxPagesPerPoll = 10;

    private readonly Dictionary<string, long> _printed = new(StringComparer.Ordinal);
    private long _newest;

    public async Task<int> RunAsync(int last, TimeSpan interval, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _newest = now - (long)TimeSpan.FromHours(1).TotalMilliseconds;
        if (await PollAsync(last, cancellationToken) is null) return 1;
        Console.Error.WriteLine($"following {http.BaseAddress}chatlog{(filters.Count > 0 ? "?" + string.Join('&', filters.Select(f => $"{f.Name}={f.Value}")) : "")} (Ctrl-C to stop) ...");
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(interval, cancellationToken);
                await PollAsync(null, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        return 0;
    }

    /// <summary>Prints the lines not printed yet (only the newest <paramref name="keepNewest"/> when given); null when the chat log could not be read.</summary>
    private async Task<int?> PollAsync(int? keepNewest, CancellationToken cancellationToken)
    {
        var from = Math.Max(0, _newest - (long)Overlap.TotalMilliseconds);
        var fresh = new List<JsonElement>();
        string? next = null;
        for (var page = 0; page < MaxPagesPerPoll && (page == 0 || next is not null); page++)
        {
            List<(string, string)> parameters = [.. filters, ("from", from.ToString(CultureInfo.InvariantCulture)), ("limit", "500")];
            if (next is not null) parameters.Add(("cursor", next));
            var answer = await ChatlogCommand.QueryAsync(http, parameters, cancellationToken);
            if (answer is null) return null;
            fresh.AddRange(answer.Value.Lines.Where(l => !_printed.ContainsKey(l.GetProperty("eventId").GetString()!)));
            next = answer.Value.Next;
            if (keepNewest is { } keep && fresh.Count >= keep) break;
        }

        var chosen = fresh.OrderBy(l => l.GetProperty("atUnixMs").GetInt64()).ThenBy(l => l.GetProperty("eventId").GetString(), StringComparer.Ordinal).ToList();
        if (keepNewest is { } newest) chosen = chosen.TakeLast(newest).ToList();
        foreach (var line in fresh)
        {
            var at = line.GetProperty("atUnixMs").GetInt64();
            _printed[line.GetProperty("eventId").GetString()!] = at;
            _newest = Math.Max(_newest, at);
        }
        foreach (var line in chosen) Console.WriteLine(ChatlogCommand.Format(line));

        // Forget what can no longer come back (older than the next poll's range).
        var horizon = _newest - (long)Overlap.TotalMilliseconds;
        foreach (var old in _printed.Where(p => p.Value < horizon).Select(p => p.Key).ToList()) _printed.Remove(old);
        return chosen.Count;
    }
}
