namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>
/// Hands out users of the shipped data that no other test of the same universe has used, by the
/// system their character starts in, so that tests sharing one universe do not disturb each other.
/// </summary>
public sealed class TestUsers
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<(string Username, string CharacterId)>> _byHome = Load();

    /// <summary>One unused user.</summary>
    public (string Username, string CharacterId) Take() => TakeGroup(1)[0];

    /// <summary><paramref name="count"/> unused users whose characters start in the same system.</summary>
    public (string Username, string CharacterId)[] TakeGroup(int count)
    {
        lock (_gate)
        {
            var queue = _byHome.Values.Where(q => q.Count >= count).MaxBy(q => q.Count)
                ?? throw new InvalidOperationException($"no system has {count} unused users left");
            return Enumerable.Range(0, count).Select(_ => queue.Dequeue()).ToArray();
        }
    }

    /// <summary>
    /// <paramref name="count"/> consecutively numbered pilots (for the bench's --first), taken from
    /// the top of the numbers and no longer handed out by <see cref="Take"/>. Returns the first number.
    /// </summary>
    public int TakeBlock(int count)
    {
        lock (_gate)
        {
            var numbers = _byHome.Values.SelectMany(q => q).Select(u => int.Parse(u.Username.AsSpan("pilot".Length), System.Globalization.CultureInfo.InvariantCulture))
                .OrderDescending().ToList();
            for (var i = 0; i + count <= numbers.Count; i++)
            {
                var block = numbers.Skip(i).Take(count).ToList();
                if (block[0] - block[^1] != count - 1) continue;
                var names = block.Select(n => $"pilot{n:D6}").ToHashSet(StringComparer.Ordinal);
                foreach (var key in _byHome.Keys.ToList())
                {
                    _byHome[key] = new Queue<(string, string)>(_byHome[key].Where(u => !names.Contains(u.Item1)));
                }
                return block[^1];
            }
            throw new InvalidOperationException($"no {count} consecutive unused pilots left");
        }
    }

    /// <summary>Generated pilots only (the five named users are kept for the scenarios that name them).</summary>
    private static Dictionary<string, Queue<(string, string)>> Load()
    {
        var usernames = File.ReadLines(Path.Combine(RepoPaths.Root, "services/Quoncept.Sessions/data/users.tsv")).Skip(1)
            .Select(l => l.Split('\t')).Where(f => f.Length >= 2).ToDictionary(f => f[1], f => f[0]);
        var byHome = new Dictionary<string, Queue<(string, string)>>();
        foreach (var f in File.ReadLines(Path.Combine(RepoPaths.Root, "services/Quoncept.Characters/data/characters.tsv")).Skip(1).Select(l => l.Split('\t')))
        {
            if (f.Length < 3 || !usernames.TryGetValue(f[0], out var user) || !user.StartsWith("pilot", StringComparison.Ordinal)) continue;
            if (!byHome.TryGetValue(f[2], out var queue)) byHome[f[2]] = queue = new Queue<(string, string)>();
            queue.Enqueue((user, f[0]));
        }
        return byHome;
    }
}
