using System.Globalization;

namespace Quoncept.Faults.Faults;

/// <summary>
/// <c>faults [--clients N] [--seconds N] [--interval-ms N] [--targets a,b,...] [--signal kill|term] [--grace-seconds N] [--verbose]</c>.
/// Targets: <c>sessions</c>, <c>characters</c>, <c>systems</c> (the service), <c>gateway</c> (one replica, in turn),
/// <c>runtime</c> (the local runtime itself). Every kill happens at least once; rounds repeat while <c>--seconds</c> lasts.
/// </summary>
internal sealed record FaultSettings
{
    public static readonly string[] AllTargets = ["sessions", "characters", "systems", "gateway", "runtime"];

    public int Clients { get; init; } = 12;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(500);
    public IReadOnlyList<string> Targets { get; init; } = AllTargets;
    public bool Graceful { get; init; }
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(30);
    public bool Verbose { get; init; }

    public const string Usage =
        "faults [--clients N (1..30, default 12)] [--seconds N (default 120)] [--interval-ms N (default 500)] " +
        "[--targets sessions,characters,systems,gateway,runtime] [--signal kill|term (default kill)] [--grace-seconds N (default 30)] [--verbose]";

    public static FaultSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new FaultSettings();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            settings = args[i] switch
            {
                "--clients" => settings with { Clients = Number(args[i], Value(), 1, 30) },
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(Number(args[i], Value(), 1, 86_400)) },
                "--interval-ms" => settings with { Interval = TimeSpan.FromMilliseconds(Number(args[i], Value(), 10, 60_000)) },
                "--grace-seconds" => settings with { GracePeriod = TimeSpan.FromSeconds(Number(args[i], Value(), 5, 3_600)) },
                "--targets" => settings with { Targets = Targets_(Value()) },
                "--signal" => settings with { Graceful = Value() switch
                {
                    "term" or "TERM" => true,
                    "kill" or "KILL" => false,
                    var other => throw new ArgumentException($"--signal '{other}' must be kill or term"),
                } },
                "--verbose" => settings with { Verbose = true },
                _ => throw new ArgumentException($"unknown option '{args[i]}'. {Usage}"),
            };
        }
        return settings;
    }

    private static List<string> Targets_(string text)
    {
        var targets = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var unknown = targets.FirstOrDefault(t => !AllTargets.Contains(t, StringComparer.Ordinal));
        if (targets.Count == 0 || unknown is not null)
        {
            throw new ArgumentException($"--targets '{text}': each must be one of {string.Join(", ", AllTargets)}");
        }
        return targets;
    }

    private static int Number(string flag, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{flag} '{text}' must be a whole number {min}..{max}");
}
