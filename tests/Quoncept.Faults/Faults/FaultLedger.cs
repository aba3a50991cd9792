using System.Collections.Concurrent;

namespace Quoncept.Faults.Faults;

/// <summary>
/// What the clients were told and what they saw, shared by every player: acknowledged chats (system,
/// sequence, text), chat lines seen live (to find one request applied twice), departures of players who
/// never left, sessions that did not survive, request latencies including retries, resume times, and
/// every violation with a line that explains it.
/// </summary>
internal sealed class FaultLedger
{
    private readonly ConcurrentDictionary<(string System, ulong Sequence), string> _ackedChats = new();
    private readonly ConcurrentDictionary<(string System, string Text), ConcurrentDictionary<ulong, byte>> _seenChats = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentQueue<TimeSpan> _requestLatencies = new();
    private readonly ConcurrentQueue<(long Start, TimeSpan Latency)> _requests = new();
    private readonly ConcurrentQueue<TimeSpan> _resumes = new();
    private readonly ConcurrentQueue<TimeSpan> _resumesAfterOutage = new();
    private readonly ConcurrentQueue<(long Start, long End)> _outages = new();
    private readonly ConcurrentDictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _terminations = new(StringComparer.Ordinal);
    private long _retries;
    private long _events;
    private long _lost;
    private long _duplicates;
    private long _departures;
    private long _failedBeyondRetries;

    /// <summary>Character ids of the players: none of them ever leaves while the run lasts.</summary>
    public ConcurrentDictionary<string, string> Players { get; } = new(StringComparer.Ordinal);

    public TimeSpan GracePeriod { get; init; }

    /// <summary>Set when the run is over and the players close: departures from then on are expected.</summary>
    public bool Closing
    {
        get => Volatile.Read(ref _closing);
        set => Volatile.Write(ref _closing, value);
    }

    private bool _closing;

    public IReadOnlyCollection<string> Violations => _violations;

    public IReadOnlyList<TimeSpan> RequestLatencies => [.. _requestLatencies];

    public IReadOnlyList<TimeSpan> Resumes => [.. _resumes];

    public IReadOnlyDictionary<string, int> Outcomes => _outcomes;

    public IReadOnlyDictionary<string, int> Terminations => _terminations;

    public long Retries => Interlocked.Read(ref _retries);

    public long Events => Interlocked.Read(ref _events);

    public void Violation(string what) => _violations.Enqueue(what);

    /// <summary>An acknowledged change that the state does not show.</summary>
    public void Lost(string what)
    {
        Interlocked.Increment(ref _lost);
        Violation("acknowledged change lost: " + what);
    }

    /// <summary>One request id applied twice.</summary>
    public void Duplicate(string what)
    {
        Interlocked.Increment(ref _duplicates);
        Violation("duplicate application: " + what);
    }

    /// <summary>A player seen leaving by another while its client was alive.</summary>
    public void Departure(string what)
    {
        Interlocked.Increment(ref _departures);
        Violation(what);
    }

    /// <summary>A request the client library gave up on after its retries.</summary>
    public void FailedBeyondRetries(string what)
    {
        Interlocked.Increment(ref _failedBeyondRetries);
        Violation(what);
    }

    public long LostCount => Interlocked.Read(ref _lost);

    public long DuplicateCount => Interlocked.Read(ref _duplicates);

    public long DepartureCount => Interlocked.Read(ref _departures);

    public long FailedBeyondRetriesCount => Interlocked.Read(ref _failedBeyondRetries);

    /// <summary>Retries counted elsewhere (the client library's own).</summary>
    public void Retried(long count) => Interlocked.Add(ref _retries, count);

    /// <summary>Times (including retries) of the requests that started between two Stopwatch timestamps.</summary>
    public IReadOnlyList<TimeSpan> LatenciesStartedBetween(long from, long to) =>
        [.. _requests.Where(r => r.Start >= from && r.Start <= to).Select(r => r.Latency)];

    public void Outcome(string kind) => _outcomes.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void Terminated(string reason) => _terminations.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public void Retried() => Interlocked.Increment(ref _retries);

    public void Event() => Interlocked.Increment(ref _events);

    public void Answered(TimeSpan latencyIncludingRetries) => _requestLatencies.Enqueue(latencyIncludingRetries);

    /// <summary>A request that started at a Stopwatch timestamp was answered after <paramref name="latencyIncludingRetries"/>.</summary>
    public void Answered(long started, TimeSpan latencyIncludingRetries)
    {
        _requestLatencies.Enqueue(latencyIncludingRetries);
        _requests.Enqueue((started, latencyIncludingRetries));
    }

    /// <summary>
    /// A stream resumed <paramref name="afterBreak"/> after it broke at <paramref name="brokenAt"/>. Beyond the grace period
    /// is a violation, except for a break while the whole system was down (the runtime killed): no gateway could take it then.
    /// </summary>
    public void Resumed(long brokenAt, TimeSpan afterBreak, string who)
    {
        var duringOutage = _outages.Any(o => brokenAt >= o.Start && brokenAt <= o.End);
        (duringOutage ? _resumesAfterOutage : _resumes).Enqueue(afterBreak);
        if (afterBreak > GracePeriod && !duringOutage)
        {
            Violation($"{who} resumed {afterBreak.TotalSeconds:0.0} s after its stream broke, beyond the {GracePeriod.TotalSeconds:0} s grace period");
        }
    }

    /// <summary>The whole system was down (the runtime and every gateway) between two Stopwatch timestamps.</summary>
    public void Outage(long start, long end) => _outages.Enqueue((start, end));

    public IReadOnlyList<TimeSpan> ResumesAfterOutage => [.. _resumesAfterOutage];

    /// <summary>An acknowledged chat: its (system, sequence) must be its own; two acknowledged chats with one sequence means one was lost.</summary>
    public void ChatAcknowledged(string systemId, ulong sequence, string text)
    {
        var owner = _ackedChats.GetOrAdd((systemId, sequence), text);
        if (!string.Equals(owner, text, StringComparison.Ordinal))
        {
            Lost($"chats '{owner}' and '{text}' were both acknowledged as {systemId}#{sequence} (the system's state went back)");
        }
    }

    /// <summary>A chat line seen live; the same line (its text carries its request id) under two sequences was applied twice.</summary>
    public void ChatSeen(string systemId, ulong sequence, string text)
    {
        var sequences = _seenChats.GetOrAdd((systemId, text), _ => new ConcurrentDictionary<ulong, byte>());
        if (sequences.TryAdd(sequence, 0) && sequences.Count == 2)
        {
            Duplicate($"chat '{text}' appeared in {systemId} as #{string.Join(" and #", sequences.Keys.Order())}");
        }
    }

    /// <summary>The highest acknowledged chat sequence of each system.</summary>
    public IReadOnlyDictionary<string, ulong> HighestAckedChat() =>
        _ackedChats.Keys.GroupBy(k => k.System, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(k => k.Sequence), StringComparer.Ordinal);

    public int AcknowledgedChats => _ackedChats.Count;
}
