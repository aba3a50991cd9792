using System.Diagnostics;
using System.Runtime.InteropServices;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Runner;

/// <summary>
/// One app process started from a run-file entry: its own process group (so Ctrl-C reaches it once,
/// from us), the variables the Dapr CLI sets (APP_ID, APP_PORT, DAPR_HTTP_PORT, DAPR_GRPC_PORT, and
/// DAPR_API_TOKEN when the runtime has one) plus DAPR_HTTP_ENDPOINT / DAPR_GRPC_ENDPOINT on 127.0.0.1,
/// every output line prefixed with the instance id. One process run: <see cref="AppSupervisor"/> starts
/// a new one when it exits.
/// </summary>
internal sealed class AppProcess
{
    private const int SigTerm = 15;
    private static readonly Lock ConsoleGate = new();
    private readonly Process _process;

    private AppProcess(Process process, AppInstance instance)
    {
        _process = process;
        Instance = instance;
    }

    public AppInstance Instance { get; }

    public Task Exited { get; private set; } = Task.CompletedTask;

    public int Id => _process.Id;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static AppProcess Start(AppSpec spec, AppInstance instance, string? apiToken)
    {
        var command = spec.Command ?? throw new InvalidOperationException("an app without a command is not started by the runtime");
        var useSetsid = File.Exists("/usr/bin/setsid");
        var info = new ProcessStartInfo(useSetsid ? "/usr/bin/setsid" : command[0])
        {
            WorkingDirectory = spec.AppDirectory ?? Environment.CurrentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in useSetsid ? command : command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }
        info.Environment["APP_ID"] = instance.AppId;
        info.Environment["DAPR_HTTP_PORT"] = instance.SidecarHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["DAPR_HTTP_ENDPOINT"] = $"http://127.0.0.1:{instance.SidecarHttpPort}";
        info.Environment["DAPR_GRPC_PORT"] = instance.SidecarGrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The SDKs default to "localhost", which may resolve to ::1 first; the sidecar listens on 127.0.0.1 only.
        info.Environment["DAPR_GRPC_ENDPOINT"] = $"http://127.0.0.1:{instance.SidecarGrpcPort}";
        if (apiToken is not null)
        {
            info.Environment[Hosting.ApiToken.EnvironmentVariable] = apiToken;
        }
        if (instance.AppPort is { } appPort)
        {
            info.Environment["APP_PORT"] = appPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var prefix = $"== APP - {instance.InstanceId} == ";
        process.OutputDataReceived += (_, e) => Write(prefix, e.Data, Console.Out);
        process.ErrorDataReceived += (_, e) => Write(prefix, e.Data, Console.Error);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new CommandLineException($"app {instance.InstanceId}: cannot start '{string.Join(' ', command)}' in {info.WorkingDirectory}: {error.Message}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, instance);
        app.Exited = process.WaitForExitAsync();
        return app;
    }

    /// <summary>SIGTERM to the app's process group, then a kill of its whole tree after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = Kill(-_process.Id, SigTerm);
            _ = Kill(_process.Id, SigTerm);
        }
        if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited in between.
            }
            await Exited;
        }
    }

    private static void Write(string prefix, string? line, TextWriter writer)
    {
        if (line is null)
        {
            return;
        }
        lock (ConsoleGate)
        {
            writer.WriteLine(prefix + line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
