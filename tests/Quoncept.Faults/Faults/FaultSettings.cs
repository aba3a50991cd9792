using System.Globalization;
using Quoncept.Faults.Universe;

namespace Quoncept.Faults.Faults;

/// <summary>
/// <c>faults [--clients N] [--seconds N] [--interval-ms N] [--targets a,b,...] [--signal kill|term] [--rolling] [--profile NAME] [--grace-seconds N] [--verbose]</c>.
/// Targets: <c>sessions</c>, <c>characters</c>, <c>systems</c> (the service), <c>gateway</c> (one replica, in turn),
/// <c>runtime</c> (the local runtime itself), and with <c>--profile</c> its servers (<c>redis</c>, <c>nats</c>,
/// <c>postgres</c>). Every kill happens at least once; rounds repeat while <c>--seconds</c> lasts. With
/// <c>--rolling</c> the targets are instances (<c>gateway-1</c>, <c>gateway-2</c>), each restarted once with SIGTERM.
/// </summary>
internal sealed record FaultSettings
{
    public static readonly string[] AllTargets = ["sessions", "characters", "systems", "gateway", "runtime"];
    public static readonly string[] RollingTargets = ["sessions", "characters", "systems", "gateway-1", "gateway-2"];
    public static readonly string[] Profiles = ["redis", "nats", "postgres"];

    public int Clients { get; init; } = 12;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(500);
    public IReadOnlyList<string> Targets { get; init; } = AllTargets;
    public bool Graceful { get; init; }
    public bool Rolling { get; init; }
    public int ServiceReplicas { get; init; } = 1;
    public string? Profile { get; init; }
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(30);
    public bool Verbose { get; init; }
    private string? TargetsText { get; init; }

    public const string Usage =
        "faults [--clients N (1..30, default 12)] [--seconds N (default 120)] [--interval-ms N (default 500)] " +
        "[--targets sessions,characters,systems,gateway,runtime (with --profile also its servers: redis, nats, postgres)] [--signal kill|term (default kill)] " +
        "[--rolling (SIGTERM to each of --targets sessions,characters,systems,gateway-1,gateway-2 in turn)] " +
        "[--service-replicas N (1..3, default 1; with --rolling: N processes of each service, targets sessions-1, sessions-2, ...)] [--profile redis|nats|postgres] " +
        "[--grace-seconds N (default 30)] [--verbose]";

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
                "--targets" => settings with { TargetsText = Value() },
                "--signal" => settings with { Graceful = Value() switch
                {
                    "term" or "TERM" => true,
                    "kill" or "KILL" => false,
                    var other => throw new ArgumentException($"--signal '{other}' must be kill or term"),
                } },
                "--rolling" => settings with { Rolling = true, Graceful = true },
                "--service-replicas" => settings with { ServiceReplicas = Number(args[i], Value(), 1, 3) },
                "--profile" => settings with { Profile = Value() is var profile && Profiles.Contains(profile, StringComparer.Ordinal)
                    ? profile
                    : throw new ArgumentException($"--profile '{args[i]}' must be one of {string.Join(", ", Profiles)}") },
                "--verbose" => settings with { Verbose = true },
                _ => throw new ArgumentException($"unknown option '{args[i]}'. {Usage}"),
            };
        }
        if (settings.ServiceReplicas > 1 && !settings.Rolling)
        {
            throw new ArgumentException("--service-replicas needs --rolling (the kill targets name one process per service)");
        }
        var servers = settings.Profile is { } name ? ProfileServerSet.ServersOf(name) : [];
        IReadOnlyList<string> rolling = settings.ServiceReplicas == 1
            ? RollingTargets
            : [.. LocalUniverse.Services.SelectMany(s => Enumerable.Range(1, settings.ServiceReplicas).Select(r => $"{s}-{r}")), "gateway-1", "gateway-2"];
        var allowed = settings.Rolling ? rolling : [.. AllTargets, .. servers];
        // A profile's own fault is its servers: by default those are what is killed.
        var defaults = settings.Rolling ? rolling : servers.Count > 0 ? servers : AllTargets;
        return settings with { Targets = settings.TargetsText is { } targets ? ParseTargets(targets, allowed) : defaults };
    }

    private static List<string> ParseTargets(string text, IReadOnlyList<string> allowed)
    {
        var targets = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var unknown = targets.FirstOrDefault(t => !allowed.Contains(t, StringComparer.Ordinal));
        if (targets.Count == 0 || unknown is not null)
        {
            throw new ArgumentException($"--targets '{text}': each must be one of {string.Join(", ", allowed)}");
        }
        return targets;
    }

    private static int Number(string flag, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{flag} '{text}' must be a whole number {min}..{max}");
}
