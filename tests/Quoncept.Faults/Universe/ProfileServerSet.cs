using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Quoncept.Faults.Universe;

/// <summary>
/// The servers of a components profile (<c>redis</c>: Redis; <c>nats</c>: Redis and NATS JetStream; <c>postgres</c>:
/// PostgreSQL), started as <c>./run.sh --profile NAME</c> starts them (dapr/profile-servers.sh: Debian packages, free
/// 127.0.0.1 ports, data in a temporary folder), with what a fault harness needs: SIGKILL of one server and its
/// restart on the same port and data, from the command the script recorded.
/// </summary>
internal sealed class ProfileServerSet : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _shell;
    private readonly string _data;
    private readonly List<Process> _restarted = [];

    private ProfileServerSet(string profile, Process shell, string data, IReadOnlyDictionary<string, string> environment)
    {
        Profile = profile;
        _shell = shell;
        _data = data;
        Environment = environment;
    }

    public string Profile { get; }

    /// <summary>Where the servers are (QUONCEPT_REDIS_HOST, ...), for the profile's component files.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The servers of a profile, in the order they are started.</summary>
    public static IReadOnlyList<string> ServersOf(string profile) => profile switch
    {
        "redis" => ["redis"],
        "nats" => ["redis", "nats"],
        "postgres" => ["postgres"],
        _ => [],
    };

    public static async Task<ProfileServerSet> StartAsync(string profile, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("quoncept-faults-servers-").FullName;
        // PostgreSQL runs as its own user when the harness runs as root: it must be able to reach its folder.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        var data = Path.Combine(folder, "data");
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
        foreach (var name in new[] { "QUONCEPT_REDIS_HOST", "QUONCEPT_NATS_URL", "QUONCEPT_POSTGRES_CONNECTION" }) info.Environment.Remove(name);
        var shell = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var log = new System.Text.StringBuilder();
        shell.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        shell.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        shell.BeginOutputReadLine();
        shell.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!File.Exists(ready))
        {
            if (shell.HasExited || clock.Elapsed > StartTimeout)
            {
                if (!shell.HasExited) shell.Kill(entireProcessTree: true);
                lock (log) throw new ArgumentException($"--profile {profile}: its servers did not start:\n{log}");
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        lock (log) output.Write(log.ToString());
        var environment = File.ReadAllLines(ready).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return new ProfileServerSet(profile, shell, data, environment);
    }

    /// <summary>SIGKILL to one server (<c>redis</c>, <c>nats</c>, <c>postgres</c>); returns its pid once it is gone.</summary>
    public async Task<int> KillAsync(string server, CancellationToken cancellationToken)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(ServerDir(server), "pid")).Trim(), CultureInfo.InvariantCulture);
        SendSignal(pid, SigKill);
        var clock = Stopwatch.StartNew();
        while (SendSignal(pid, 0) == 0 && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        return pid;
    }

    /// <summary>
    /// Starts a killed server again with its recorded command (same port, same data), as its supervisor would, and
    /// waits until it accepts connections. PostgreSQL refuses to start while the killed one's backends still hold its
    /// shared memory: it is started again until it stays up.
    /// </summary>
    public async Task<int> RestartAsync(string server, CancellationToken cancellationToken)
    {
        var dir = ServerDir(server);
        var command = File.ReadAllText(Path.Combine(dir, "command")).Trim();
        var port = PortOf(command);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var info = new ProcessStartInfo("bash", ["-c", $"exec {command} >> '{Path.Combine(dir, "restarts.log")}' 2>&1"])
            {
                WorkingDirectory = RepoPaths.Root, UseShellExecute = false,
            };
            var process = Process.Start(info) ?? throw new InvalidOperationException($"{server} did not start");
            lock (_restarted) _restarted.Add(process);
            while (!process.HasExited && !await AcceptsAsync(port).ConfigureAwait(false)) await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            if (!process.HasExited)
            {
                await File.WriteAllTextAsync(Path.Combine(dir, "pid"), process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
                return process.Id;
            }
            if (clock.Elapsed > StartTimeout) throw new InvalidOperationException($"{server} did not start again within {StartTimeout.TotalSeconds:0} s (see {dir}/restarts.log)");
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Process> restarted;
        lock (_restarted) restarted = [.. _restarted];
        foreach (var process in restarted.Where(p => !p.HasExited)) SendSignal(process.Id, SigTerm);
        if (!_shell.HasExited) SendSignal(_shell.Id, SigTerm);
        foreach (var process in restarted.Append(_shell))
        {
            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
            }
            process.Dispose();
        }
        try
        {
            Directory.Delete(Path.GetDirectoryName(_data)!, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private string ServerDir(string server) => Path.Combine(_data, server);

    /// <summary>The port in a recorded command: <c>--port N</c> (redis), <c>-p N</c> (nats, postgres).</summary>
    private static int PortOf(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.FindIndex(words, w => w is "--port" or "-p");
        return at >= 0 && at + 1 < words.Length && int.TryParse(words[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new InvalidOperationException($"no port in the recorded command '{command}'");
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
