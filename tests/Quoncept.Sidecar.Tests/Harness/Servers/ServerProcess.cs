using System.Diagnostics;
using System.Net.Sockets;

namespace Quoncept.Sidecar.Tests.Harness.Servers;

/// <summary>
/// One real server process (redis-server, nats-server, postgres) started by a test on a 127.0.0.1 port with a
/// data folder of its own. <see cref="Kill"/> is <c>kill -9</c>; starting again reuses the port and the data, as a
/// restarted server would; a server that must not run as root runs as another user (<c>setpriv</c>). The last lines of its
/// output go into every failure message. A server binary that is
/// missing fails the test with the Debian package to install: these tests never skip.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly string _file;
    private readonly IReadOnlyList<string> _arguments;
    private readonly string? _runAs;
    private readonly Queue<string> _output = new();
    private Process? _process;

    public ServerProcess(string name, string file, IReadOnlyList<string> arguments, string? runAs = null)
    {
        Name = name;
        _file = file;
        _arguments = arguments;
        _runAs = runAs;
    }

    public string Name { get; }

    public bool IsRunning => _process is { HasExited: false };

    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Resolves a server binary on PATH or in the given folders, or fails naming the package.</summary>
    public static string Find(string binary, string package, params string[] folders)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(folders)
            .Select(folder => Path.Combine(folder, binary))
            .FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException($"{binary} is not installed: apt-get install -y {package} (./test.sh does it)");
    }

    public void Start()
    {
        // setpriv execs the server in place (runuser would fork and stay its parent), so the server is this process's
        // child: killing it leaves no process behind that still holds its PID.
        var info = _runAs is null
            ? new ProcessStartInfo(_file)
            : new ProcessStartInfo("setpriv", ["--reuid", _runAs, "--regid", _runAs, "--init-groups", "--reset-env", _file]);
        foreach (var argument in _arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Waits until <paramref name="ready"/> answers true, failing with the server's output after <paramref name="within"/>.</summary>
    public async Task WaitReadyAsync(Func<Task<bool>> ready, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            if (_process is { HasExited: true } exited)
            {
                exited.WaitForExit();
                throw new InvalidOperationException($"{Name} exited with {exited.ExitCode} at start:\n{RecentOutput}");
            }
            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (Exception error) when (error is SocketException or IOException or InvalidOperationException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{Name} was not ready within {within.TotalSeconds:0}s:\n{RecentOutput}");
    }

    /// <summary><c>kill -9</c>: no shutdown, no flush, as a crash.</summary>
    public void Kill()
    {
        if (_process is { } process)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            process.WaitForExit(10_000);
            process.Dispose();
            _process = null;
        }
    }

    public void Dispose() => Kill();

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        return true;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 40)
            {
                _output.Dequeue();
            }
        }
    }
}
