namespace Quoncept.Sidecar.Runner;

/// <summary>What the command line asks for, after validation; <see cref="Warnings"/> name accepted-but-ignored flags.</summary>
internal sealed record SidecarCommand(
    IReadOnlyList<AppSpec> Apps,
    LogLevel LogLevel,
    long MaxRequestBodyBytes,
    IReadOnlyList<string> Warnings)
{
    public const long DefaultMaxRequestBodyBytes = 4 * 1024 * 1024;

    /// <summary>How apps started from a run file are restarted when they exit on their own.</summary>
    public RestartPolicy Restarts { get; init; } = RestartPolicy.Default;

    /// <summary>Every resources folder of every app (the runtime loads them once, shared).</summary>
    public IEnumerable<string> ResourcesPaths => Apps.SelectMany(a => a.ResourcesPaths).Distinct(StringComparer.Ordinal);

    public IEnumerable<string> ConfigFiles => Apps.Select(a => a.ConfigFile).OfType<string>().Distinct(StringComparer.Ordinal);
}
