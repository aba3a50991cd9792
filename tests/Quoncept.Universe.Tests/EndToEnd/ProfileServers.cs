using System.Diagnostics;

namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>
/// The servers of a components profile (<c>QUONCEPT_E2E_PROFILE=redis|nats|postgres</c>), started the way
/// <c>./run.sh --profile NAME</c> starts them (dapr/profile-servers.sh, Debian packages, free 127.0.0.1 ports) with
/// their data in the fixture's folder, and stopped when it ends. <see cref="Environment"/> holds where they are
/// (QUONCEPT_REDIS_HOST, ...), for the profile's component files.
/// </summary>
internal sealed class ProfileServers : IAsyncDisposable
{
    private readonly Process _shell;

    private ProfileServers(Process shell, IReadOnlyDictionary<string, string> environment, string log)
    {
        _shell = shell;
        Environment = environment;
        Log = log;
    }

    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>What the script printed: which servers it started and where their data lives.</summary>
    public string Log { get; }

    public static string? RequestedProfile => System.Environment.GetEnvironmentVariable("QUONCEPT_E2E_PROFILE") is { Length: > 0 } name ? name : null;

    public static async Task<ProfileServers> StartAsync(string profile, string folder)
    {
        var data = Path.Combine(folder, "profile-data");
        Directory.CreateDirectory(data);
        // PostgreSQL runs as its own user when the tests run as root: it must be able to reach its folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        }
        var ready = Path.Combine(folder, "profile.env");
        var script = $"""
            set -euo pipefail
            source dapr/profile-servers.sh
            trap 'profile_servers_stop; exit 0' TERM
            profile_servers_start '{profile}' '{data}'
            env | grep '^QUONCEPT_' > '{ready}.tmp' || true
            mv '{ready}.tmp' '{ready}'
            wait
            """;
        var info = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var name in new[] { "QUONCEPT_REDIS_HOST", "QUONCEPT_NATS_URL", "QUONCEPT_POSTGRES_CONNECTION" })
        {
            info.Environment.Remove(name);
        }
        var shell = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        shell.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        shell.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        shell.BeginOutputReadLine();
        shell.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!File.Exists(ready))
        {
            if (shell.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                shell.Kill(entireProcessTree: true);
                lock (output) throw new InvalidOperationException($"profile {profile}: servers did not start:\n{output}");
            }
            await Task.Delay(100);
        }
        var environment = File.ReadAllLines(ready).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        lock (output) return new ProfileServers(shell, environment, output.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_shell.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _shell.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            try
            {
                await _shell.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                _shell.Kill(entireProcessTree: true);
            }
        }
        _shell.Dispose();
    }
}
