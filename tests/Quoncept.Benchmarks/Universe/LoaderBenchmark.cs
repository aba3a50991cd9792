using System.Diagnostics;
using System.Globalization;
using Quoncept.Characters.Catalog;
using Quoncept.Sessions.Directory;
using Quoncept.Systems.Map;

namespace Quoncept.Benchmarks.Universe;

/// <summary>
/// <c>loader [--users N]</c> (default 100,000): generates a universe into a temporary folder and
/// times each service's start-up loader. The first round runs on a cold JIT, as a service's
/// start-up does; the median of the following rounds shows the steady cost.
/// </summary>
internal static class LoaderBenchmark
{
    private const int Rounds = 6;

    public static int Run(string[] args)
    {
        var users = 100_000;
        if (args.Length == 2 && args[0] == "--users" && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 5)
        {
            users = n;
        }
        else if (args.Length != 0)
        {
            Console.Error.WriteLine("usage: loader [--users N>=5]");
            return 2;
        }

        var dir = Path.Combine(Path.GetTempPath(), "quoncept-loader-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            var files = new UniverseDataGenerator(UniverseDataCommand.DefaultSeed).Write(dir, dir, dir, users, UniverseDataCommand.DefaultSystems);
            Console.WriteLine($"universe: {users:N0} users, {UniverseDataCommand.DefaultSystems} systems ({Kib(files.Users)} + {Kib(files.Characters)} + {Kib(files.Systems)} KiB)");
            Measure("sessions   users.tsv     ", () => UserDirectory.Load(files.Users).Count);
            Measure("characters characters.tsv", () => CharacterCatalog.Load(files.Characters).Count);
            Measure("systems    systems.tsv   ", () => StarMap.Load(files.Systems).Count);
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Measure(string label, Func<int> load)
    {
        var times = new List<double>();
        var count = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            count = load();
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        var warm = times.Skip(1).Order().ToList();
        Console.WriteLine($"{label}  {count,7:N0} rows  cold {times[0],7:F1} ms  warm median {warm[warm.Count / 2],7:F1} ms");
    }

    private static long Kib(string path) => new FileInfo(path).Length / 1024;
}
