using System.Diagnostics;
using System.Text;

namespace Quoncept.Sidecar.Tests.Harness;

/// <summary>
/// Runs one scenario of a script in tests/node/dapr-conformance against the runtime started as a
/// separate process in daprd-flag mode (<c>--app-id --app-port --dapr-http-port --dapr-grpc-port --resources-path</c>),
/// each on free ports, and returns the script's exit code and output. A missing node or npm install
/// is a failure with a clear message, never a skip.
/// </summary>
internal static class NodeConformance
{
    private const string Components = """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: statestore
        spec:
          type: state.sqlite
          version: v1
          metadata:
            - name: connectionString
              value: "{DB}"
            - name: actorStateStore
              value: "true"
        ---
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: pubsub
        spec:
          type: pubsub.in-memory
          version: v1
        """;

    /// <summary>
    /// With <paramref name="apiToken"/>, both processes get it as DAPR_API_TOKEN: the runtime then requires it
    /// and the SDK sends it, as with daprd. <paramref name="components"/> replaces the embedded default
    /// (SQLite state, in-memory pub/sub), e.g. with a profile's components on real servers.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string scenario, string script = "conformance.mjs", string appId = "conformance",
        string? apiToken = null, string? components = null)
    {
        var folder = Path.Combine(RepoRoot.Find(), "tests", "node", "dapr-conformance");
        Assert.True(File.Exists("/usr/bin/node") || File.Exists("/usr/local/bin/node"), "node is not installed: the @dapr/dapr conformance suite needs node 20 (./test.sh installs the npm packages)");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "@dapr", "dapr")),
            $"@dapr/dapr is not installed in {folder}: run `npm ci --ignore-scripts` there (./test.sh does)");
        using var resources = new TempFolder();
        resources.Write("components.yaml", components ?? Components.Replace("{DB}", Path.Combine(resources.Path, "state.db"), StringComparison.Ordinal));
        var appPort = Runner.FreePort.Next();
        var daprPort = Runner.FreePort.Next();
        var grpcPort = Runner.FreePort.Next();
        var sidecarLog = new StringBuilder();
        using var sidecar = Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Quoncept.Sidecar.dll"),
            "--app-id", appId, "--app-port", $"{appPort}", "--dapr-http-port", $"{daprPort}", "--resources-path", resources.Path,
            "--app-protocol", "http", "--log-level", "warn", "--dapr-grpc-port", $"{grpcPort}", "--placement-host-address", "localhost:50005"],
            AppContext.BaseDirectory, apiToken is null ? [] : [("DAPR_API_TOKEN", apiToken)], sidecarLog);
        try
        {
            await WaitForSidecarAsync(daprPort, sidecar, sidecarLog);
            var nodeLog = new StringBuilder();
            using var node = Start("node", [script, scenario], folder,
                [("DAPR_HTTP_PORT", $"{daprPort}"), ("DAPR_GRPC_PORT", $"{grpcPort}"), ("APP_PORT", $"{appPort}"), ("APP_ID", appId),
                    .. apiToken is null ? Array.Empty<(string, string)>() : [("DAPR_API_TOKEN", apiToken)]], nodeLog);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await node.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                node.Kill(entireProcessTree: true);
                return (-1, $"node {script} {scenario} timed out after 60s\n{nodeLog}\n--- sidecar ---\n{sidecarLog}");
            }
            node.WaitForExit();
            return (node.ExitCode, $"{nodeLog}\n--- sidecar ---\n{sidecarLog}");
        }
        finally
        {
            if (!sidecar.HasExited)
            {
                sidecar.Kill(entireProcessTree: true);
                await sidecar.WaitForExitAsync();
            }
        }
    }

    private static async Task WaitForSidecarAsync(int port, Process sidecar, StringBuilder log)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(sidecar.HasExited, $"the sidecar exited with code {(sidecar.HasExited ? sidecar.ExitCode : 0)}:\n{log}");
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/v1.0/healthz/outbound")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        Assert.Fail($"the sidecar did not answer on port {port} within 60s:\n{log}");
    }

    private static Process Start(string file, string[] args, string directory, (string, string)[] env, StringBuilder log)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            Assert.Fail($"cannot start {file}: {error.Message}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.AppendLine(line);
        }
    }
}
