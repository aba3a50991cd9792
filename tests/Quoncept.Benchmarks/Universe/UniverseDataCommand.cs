using System.Globalization;

namespace Quoncept.Benchmarks.Universe;

/// <summary>
/// <c>universe-data [--users N] [--systems N] [--seed N] (--out DIR | --ship)</c>:
/// writes users.tsv, characters.tsv and systems.tsv. <c>--ship</c> writes them into the
/// services' data folders (services/Quoncept.{Sessions,Characters,Systems}/data).
/// </summary>
internal static class UniverseDataCommand
{
    public const int DefaultUsers = 10_000;
    public const int DefaultSystems = 600;
    public const int DefaultSeed = 20261125;

    public static int Run(string[] args)
    {
        var users = DefaultUsers;
        var systems = DefaultSystems;
        var seed = DefaultSeed;
        string? output = null;
        var ship = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--users" when i + 1 < args.Length && TryCount(args[i + 1], 5, 10_000_000, out users):
                case "--systems" when i + 1 < args.Length && TryCount(args[i + 1], 3, 9_999, out systems):
                case "--seed" when i + 1 < args.Length && TryCount(args[i + 1], 0, int.MaxValue, out seed):
                    i++;
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--ship":
                    ship = true;
                    break;
                default:
                    Console.Error.WriteLine($"universe-data: bad argument '{args[i]}'. Usage: universe-data [--users 5..10000000] [--systems 3..9999] [--seed N] (--out DIR | --ship)");
                    return 2;
            }
        }

        if (ship == (output is not null))
        {
            Console.Error.WriteLine("universe-data: give exactly one of --out DIR or --ship");
            return 2;
        }

        string sessions, characters, starMap;
        if (ship)
        {
            var root = RepoRoot.Find();
            sessions = Path.Combine(root, "services", "Quoncept.Sessions", "data");
            characters = Path.Combine(root, "services", "Quoncept.Characters", "data");
            starMap = Path.Combine(root, "services", "Quoncept.Systems", "data");
        }
        else
        {
            sessions = characters = starMap = output!;
        }

        var files = new UniverseDataGenerator(seed).Write(sessions, characters, starMap, users, systems);
        foreach (var file in new[] { files.Users, files.Characters, files.Systems })
        {
            Console.WriteLine($"{file}  {new FileInfo(file).Length / 1024.0:F0} KiB");
        }

        return 0;
    }

    private static bool TryCount(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}
