using System.Diagnostics;
using System.Globalization;

namespace Quoncept.Benchmarks;

/// <summary>
/// A benchmark's server run as this program in a process of its own (a hop between processes is what the system pays,
/// and a server in the client's process would share its CPU and thread pool). The child prints "port N" once it
/// listens and stops when its standard input closes, which <see cref="Dispose"/> does (then kills it after 5 s).
/// </summary>
internal sealed class ChildServer : IDisposable
{
    private ChildServer(Process process, int port) => (Process, Port) = (process, port);

    public Process Process { get; }

    public int Port { get; }

    /// <param name="arguments">This program's command line for the server, e.g. ["hops-server", "kestrel"].</param>
    public static ChildServer Start(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var what = string.Join(' ', arguments);
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        // Under "dotnet Quoncept.Benchmarks.dll" the process is the dotnet host: the child needs the assembly too.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(ChildServer).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start '{what}'");
        var line = process.StandardOutput.ReadLine();
        if (line is null || !line.StartsWith("port ", StringComparison.Ordinal) || !int.TryParse(line.AsSpan(5), CultureInfo.InvariantCulture, out var port))
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new InvalidOperationException($"'{what}' did not say its port (it printed '{line}')");
        }
        return new ChildServer(process, port);
    }

    public void Dispose()
    {
        Process.StandardInput.Close();
        if (!Process.WaitForExit(5_000)) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
