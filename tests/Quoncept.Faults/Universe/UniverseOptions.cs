using Quoncept.Faults.Faults;

namespace Quoncept.Faults.Universe;

/// <summary>How <see cref="LocalUniverse"/> runs: replicas, the session grace period, the runtime's restart back-off, the components.</summary>
internal sealed record UniverseOptions
{
    public int Gateways { get; init; } = 2;

    /// <summary>Processes of each service (sessions, characters, systems); more than one are named sessions-1, sessions-2, ...</summary>
    public int ServiceReplicas { get; init; } = 1;

    /// <summary>Long enough for a client to resume after its whole runtime was killed and started again.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RestartBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>A components profile (components/NAME/*.yaml, on the servers in <see cref="Environment"/>); null: SQLite state and in-memory pub/sub.</summary>
    public string? Profile { get; init; }

    /// <summary>More variables for the runtime and every app (e.g. gateway limits, where a profile's servers are).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Receives every line of the runtime's and the apps' output; null keeps them only in memory.</summary>
    public Action<string>? Log { get; init; }

    public static UniverseOptions For(FaultSettings settings, ProfileServerSet? servers, TextWriter output) => new()
    {
        GracePeriod = settings.GracePeriod,
        ServiceReplicas = settings.ServiceReplicas,
        Profile = servers?.Profile,
        Environment = servers?.Environment ?? new Dictionary<string, string>(),
        Log = settings.Verbose ? output.WriteLine : null,
    };

    public string Describe() => (ServiceReplicas > 1 ? $"{ServiceReplicas} processes of each service, " : "") +
        (Profile is null ? "SQLite state, in-memory pub/sub" : $"profile {Profile}: components/{Profile}");

    /// <summary>The instance ids of a service's processes, as the runtime names them.</summary>
    public IReadOnlyList<string> InstancesOf(string service) =>
        ServiceReplicas == 1 ? [service] : [.. Enumerable.Range(1, ServiceReplicas).Select(r => $"{service}-{r}")];
}
