namespace Quoncept.Faults.Universe;

/// <summary>How <see cref="LocalUniverse"/> runs: replicas, the session grace period, the runtime's restart back-off.</summary>
internal sealed record UniverseOptions
{
    public int Gateways { get; init; } = 2;

    /// <summary>Long enough for a client to resume after its whole runtime was killed and started again.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RestartBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>More variables for every app (e.g. gateway limits).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Receives every line of the runtime's and the apps' output; null keeps them only in memory.</summary>
    public Action<string>? Log { get; init; }
}
