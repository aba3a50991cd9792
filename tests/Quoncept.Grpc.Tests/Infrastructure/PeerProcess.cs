using System.Diagnostics;
using System.Text;

namespace Quoncept.Grpc.Tests;

/// <summary>A real peer (python3, node) run as a child process with a hard time limit.</summary>
public sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PeerProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static PeerProcess Start(string executable, string workingDirectory, params string[] arguments) =>
        Start(executable, workingDirectory, new Dictionary<string, string>(), arguments);

    public static PeerProcess Start(string executable, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        if (!File.Exists(executable) && !executable.Contains('/', StringComparison.Ordinal) && FindOnPath(executable) is null)
        {
            throw new InvalidOperationException($"'{executable}' is not installed: run ./test.sh, which installs the real peers the interop tests need.");
        }

        if (executable.Contains('/', StringComparison.Ordinal) && !File.Exists(executable))
        {
            throw new InvalidOperationException($"'{executable}' is missing: run ./test.sh, which installs the real peers the interop tests need.");
        }

        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => peer.Append(e.Data, isOutput: true);
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data, isOutput: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Runs to completion (killed after the limit) and returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string executable, string workingDirectory, TimeSpan limit, params string[] arguments)
    {
        await using var peer = Start(executable, workingDirectory, arguments);
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await peer._process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return (-1, $"timed out after {limit.TotalSeconds} s\n{peer.Output}");
        }

        peer._process.WaitForExit();
        return (peer._process.ExitCode, peer.Output);
    }

    /// <summary>The first stdout line, e.g. "PORT 12345" from a peer server.</summary>
    public Task<string> FirstLineAsync(TimeSpan limit) => _firstLine.Task.WaitAsync(limit);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line, bool isOutput)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (isOutput)
        {
            _firstLine.TrySetResult(line);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
