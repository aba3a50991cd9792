using System.Diagnostics;

namespace Quoncept.Conformance.Tests.Harness;

/// <summary>
/// A <c>dotnet some.dll</c> child process whose last output lines are kept for failure messages;
/// killed (SIGKILL, whole tree) on dispose. The environment is the test's, minus the Dapr variables
/// a developer's shell may carry, plus what the caller sets: each process sees only the sidecar it is given.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int TailLines = 80;

    private static readonly string[] InheritedDaprVariables =
        ["DAPR_API_TOKEN", "APP_API_TOKEN", "DAPR_HTTP_ENDPOINT", "DAPR_GRPC_ENDPOINT", "DAPR_HTTP_PORT", "DAPR_GRPC_PORT", "APP_PORT", "APP_ID"];

    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess StartDotnet(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{name}: {dll} is missing; build the test project first (dotnet build tests/Quoncept.Conformance.Tests).", dll);
        }

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var variable in InheritedDaprVariables)
        {
            info.Environment.Remove(variable);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.Record(e.Data);
        process.ErrorDataReceived += (_, e) => child.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public string Tail()
    {
        lock (_tail)
        {
            var state = _process.HasExited ? $", exited {_process.ExitCode}" : "";
            return $"--- last output of {Name} (pid {_process.Id}{state}) ---\n" + string.Join("\n", _tail);
        }
    }

    /// <summary>SIGKILL, as a crash would end it: no shutdown hooks, nothing flushed.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }
}
