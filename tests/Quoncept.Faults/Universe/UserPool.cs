namespace Quoncept.Faults.Universe;

/// <summary>Pilots of the shipped data files, grouped by the system their character starts in.</summary>
internal static class UserPool
{
    public sealed record User(string Username, string CharacterId, string HomeSystemId);

    /// <summary><paramref name="count"/> pilots who all start in the same system (the most crowded one), so that they see each other.</summary>
    public static IReadOnlyList<User> Neighbours(int count)
    {
        var group = Load().GroupBy(u => u.HomeSystemId).MaxBy(g => g.Count())!;
        return group.Count() >= count
            ? group.Take(count).ToList()
            : throw new ArgumentOutOfRangeException(nameof(count), $"at most {group.Count()} pilots start in one system");
    }

    /// <summary>A pilot who is not among <paramref name="taken"/>, for probes.</summary>
    public static User Other(IEnumerable<User> taken)
    {
        var names = taken.Select(u => u.Username).ToHashSet(StringComparer.Ordinal);
        return Load().Last(u => !names.Contains(u.Username));
    }

    private static List<User> Load()
    {
        var usernames = File.ReadLines(Path.Combine(RepoPaths.Root, "services/Quoncept.Sessions/data/users.tsv")).Skip(1)
            .Select(l => l.Split('\t')).Where(f => f.Length >= 2).ToDictionary(f => f[1], f => f[0], StringComparer.Ordinal);
        return File.ReadLines(Path.Combine(RepoPaths.Root, "services/Quoncept.Characters/data/characters.tsv")).Skip(1)
            .Select(l => l.Split('\t'))
            .Where(f => f.Length >= 3 && usernames.TryGetValue(f[0], out var user) && user.StartsWith("pilot", StringComparison.Ordinal))
            .Select(f => new User(usernames[f[0]], f[0], f[2]))
            .ToList();
    }
}
