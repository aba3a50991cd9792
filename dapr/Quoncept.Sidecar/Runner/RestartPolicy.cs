using System.Globalization;
using Quoncept.Sidecar.Actors.Durations;

namespace Quoncept.Sidecar.Runner;

/// <summary>
/// How the runtime restarts an app of its run file that exits on its own, as a process manager (or
/// Kubernetes' <c>restartPolicy: Always</c> with its back-off) would: after <see cref="InitialBackoff"/>,
/// doubling with every exit inside <see cref="Window"/> up to <see cref="MaxBackoff"/>. An app that exits
/// more than <see cref="MaxRestarts"/> times inside <see cref="Window"/> is in a crash loop: it is
/// reported and left stopped. <c>--max-restarts 0</c> never restarts.
/// </summary>
internal sealed record RestartPolicy(int MaxRestarts, TimeSpan Window, TimeSpan InitialBackoff, TimeSpan MaxBackoff)
{
    public const int MaxRestartsLimit = 1000;

    public static RestartPolicy Default { get; } = new(5, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    /// <summary>The wait before restarting after the <paramref name="exitsInWindow"/>-th exit inside the window (1 = first).</summary>
    public TimeSpan BackoffAfter(int exitsInWindow)
    {
        var delay = InitialBackoff * Math.Pow(2, Math.Min(30, Math.Max(0, exitsInWindow - 1)));
        return delay < MaxBackoff ? delay : MaxBackoff;
    }

    /// <summary>True when an app that exited <paramref name="exitsInWindow"/> times inside the window is given up on.</summary>
    public bool IsCrashLoop(int exitsInWindow) => exitsInWindow > MaxRestarts;

    /// <summary>Reads <c>--max-restarts</c>: a count 0..1000.</summary>
    public static int ParseMaxRestarts(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= MaxRestartsLimit
            ? count
            : throw new CommandLineException($"--max-restarts '{text}' is not a count 0..{MaxRestartsLimit} (restarts of a crashing app inside --restart-window before it is given up on; 0 = never restart)");

    /// <summary>Reads a positive Go duration (<c>500ms</c>, <c>10s</c>, <c>1m</c>) for <paramref name="flag"/>.</summary>
    public static TimeSpan ParseDuration(string flag, string text) =>
        GoDuration.TryParse(text, out var duration) && duration > TimeSpan.Zero && duration <= TimeSpan.FromDays(1)
            ? duration
            : throw new CommandLineException($"--{flag} '{text}' is not a duration such as 500ms, 10s or 1m (positive, at most 24h)");

    /// <summary>Null when usable, else the one line that says what to change.</summary>
    public string? Problem() => InitialBackoff > Window
        ? $"--restart-backoff {InitialBackoff.TotalSeconds:0.###}s is longer than --restart-window {Window.TotalSeconds:0.###}s: no restart could ever count as a crash loop"
        : null;
}
