using System.Globalization;

namespace Quoncept.Faults.Fuzz;

/// <summary><c>fuzz [--seconds N] [--max-inputs N] [--seed N] [--verbose]</c>: bounded both in time and in count.</summary>
internal sealed record FuzzSettings
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    public int MaxInputs { get; init; } = 20_000;
    public int Seed { get; init; } = Environment.TickCount;
    public bool Verbose { get; init; }

    public const string Usage = "fuzz [--seconds N (default 60)] [--max-inputs N (default 20000)] [--seed N] [--verbose]";

    public static FuzzSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new FuzzSettings();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            settings = args[i] switch
            {
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(Number(args[i], Value(), 1, 86_400)) },
                "--max-inputs" => settings with { MaxInputs = Number(args[i], Value(), 1, 100_000_000) },
                "--seed" => settings with { Seed = Number(args[i], Value(), 0, int.MaxValue) },
                "--verbose" => settings with { Verbose = true },
                _ => throw new ArgumentException($"unknown option '{args[i]}'. {Usage}"),
            };
        }
        return settings;
    }

    private static int Number(string flag, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{flag} '{text}' must be a whole number {min}..{max}");
}
