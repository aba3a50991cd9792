using System.Globalization;
using System.Text;

namespace Quoncept.Benchmarks.Universe;

/// <summary>
/// Writes a consistent universe: users.tsv (sessions), characters.tsv (characters) and
/// systems.tsv (systems), deterministic for a given seed. The five named users alice, bob,
/// carol, dave and erin come first and all start in s0001 so that they meet; generated
/// users are pilotNNNNNN with characters spread over every system. The lane graph is a
/// nearest-earlier-neighbour spanning tree (connected by construction) plus lanes to each
/// system's two nearest neighbours.
/// </summary>
internal sealed class UniverseDataGenerator
{
    private static readonly string[] NamedUsers = ["alice", "bob", "carol", "dave", "erin"];
    private static readonly string[] Syllables =
        ["ar", "be", "cor", "dra", "el", "fen", "ga", "hel", "io", "jun", "ka", "lor", "mi", "nex", "or",
         "pra", "qu", "ros", "sol", "tar", "ul", "ve", "wyn", "xa", "yor", "zen"];
    private static readonly string[] FirstNames =
        ["Ada", "Bram", "Cyra", "Dax", "Eira", "Finn", "Gale", "Hale", "Iris", "Jace", "Kira", "Lux", "Mara",
         "Nox", "Orin", "Pax", "Quin", "Rhea", "Sol", "Tam", "Uma", "Vex", "Wren", "Xan", "Yara", "Zed"];

    private readonly Random _random;

    public UniverseDataGenerator(int seed) => _random = new Random(seed);

    public static string SystemId(int index) => "s" + (index + 1).ToString("D4", CultureInfo.InvariantCulture);

    public static string CharacterId(int index) => "c" + (index + 1).ToString("D6", CultureInfo.InvariantCulture);

    public static string Username(int index) =>
        index < NamedUsers.Length ? NamedUsers[index] : "pilot" + (index + 1).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Writes the three files; returns their paths (users, characters, systems).</summary>
    public (string Users, string Characters, string Systems) Write(string usersDir, string charactersDir, string systemsDir, int users, int systems)
    {
        if (users < NamedUsers.Length || systems < 3)
        {
            throw new ArgumentException($"need at least {NamedUsers.Length} users and 3 systems");
        }

        Directory.CreateDirectory(usersDir);
        Directory.CreateDirectory(charactersDir);
        Directory.CreateDirectory(systemsDir);
        var usersPath = Path.Combine(usersDir, "users.tsv");
        var charactersPath = Path.Combine(charactersDir, "characters.tsv");
        var systemsPath = Path.Combine(systemsDir, "systems.tsv");
        WriteSystems(systemsPath, systems);
        WriteUsersAndCharacters(usersPath, charactersPath, users, systems);
        return (usersPath, charactersPath, systemsPath);
    }

    private void WriteUsersAndCharacters(string usersPath, string charactersPath, int users, int systems)
    {
        using var userFile = new StreamWriter(usersPath, false, new UTF8Encoding(false)) { NewLine = "\n" };
        using var characterFile = new StreamWriter(charactersPath, false, new UTF8Encoding(false)) { NewLine = "\n" };
        userFile.WriteLine("username\tcharacter_id");
        characterFile.WriteLine("character_id\tname\thome_system_id");
        for (var i = 0; i < users; i++)
        {
            var username = Username(i);
            var characterId = CharacterId(i);
            var named = i < NamedUsers.Length;
            var name = named
                ? char.ToUpperInvariant(username[0]) + username[1..]
                : $"{FirstNames[_random.Next(FirstNames.Length)]} {Capitalize(Syllables[_random.Next(Syllables.Length)] + Syllables[_random.Next(Syllables.Length)])}";
            var home = named ? SystemId(0) : SystemId(_random.Next(systems));
            userFile.Write(username);
            userFile.Write('\t');
            userFile.WriteLine(characterId);
            characterFile.Write(characterId);
            characterFile.Write('\t');
            characterFile.Write(name);
            characterFile.Write('\t');
            characterFile.WriteLine(home);
        }
    }

    private void WriteSystems(string path, int count)
    {
        var x = new double[count];
        var y = new double[count];
        var lanes = new SortedSet<int>[count];
        for (var i = 0; i < count; i++)
        {
            x[i] = _random.NextDouble();
            y[i] = _random.NextDouble();
            lanes[i] = [];
        }

        double Distance(int a, int b) => (x[a] - x[b]) * (x[a] - x[b]) + (y[a] - y[b]) * (y[a] - y[b]);
        void Connect(int a, int b)
        {
            lanes[a].Add(b);
            lanes[b].Add(a);
        }

        for (var i = 1; i < count; i++)
        {
            var nearest = 0;
            for (var j = 1; j < i; j++)
            {
                if (Distance(i, j) < Distance(i, nearest))
                {
                    nearest = j;
                }
            }

            Connect(i, nearest);
        }

        for (var i = 0; i < count; i++)
        {
            var closest = Enumerable.Range(0, count).Where(j => j != i).OrderBy(j => Distance(i, j)).Take(2);
            foreach (var j in closest)
            {
                Connect(i, j);
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        using var file = new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" };
        file.WriteLine("system_id\tname\tsecurity\tneighbours");
        for (var i = 0; i < count; i++)
        {
            var name = i == 0 ? "Aurora" : NewSystemName(names);
            names.Add(name);
            var security = i == 0 ? 1.0 : Math.Round(_random.NextDouble() * 2 - 1, 2);
            file.Write(SystemId(i));
            file.Write('\t');
            file.Write(name);
            file.Write('\t');
            file.Write(security.ToString("0.0#", CultureInfo.InvariantCulture));
            file.Write('\t');
            file.WriteLine(string.Join(',', lanes[i].Select(SystemId)));
        }
    }

    private string NewSystemName(HashSet<string> taken)
    {
        while (true)
        {
            var parts = 2 + _random.Next(2);
            var name = new StringBuilder();
            for (var p = 0; p < parts; p++)
            {
                name.Append(Syllables[_random.Next(Syllables.Length)]);
            }

            var candidate = Capitalize(name.ToString());
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
