using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.Runner;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary><c>run -f</c>: the runtime starts each app's command with its ports in the environment, fronts replicas, stops them all.</summary>
public sealed class RunFileModeTests
{
    private const string App = """
        import http from "node:http";
        const { APP_ID, APP_PORT, DAPR_HTTP_PORT } = process.env;
        const server = http.createServer(async (req, res) => {
          if (req.url === "/exit") { res.end("bye"); setTimeout(() => process.exit(3), 50); return; }
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify({ appId: APP_ID, appPort: APP_PORT, daprPort: DAPR_HTTP_PORT, pid: process.pid }));
        });
        server.listen(Number(APP_PORT), "127.0.0.1", async () => {
          const saved = await fetch(`http://127.0.0.1:${DAPR_HTTP_PORT}/v1.0/state/statestore`, {
            method: "POST", headers: { "content-type": "application/json" },
            body: JSON.stringify([{ key: `started-${APP_PORT}`, value: APP_ID }]),
          });
          console.log(`ready ${APP_ID} ${saved.status}`);
        });
        process.on("SIGTERM", () => server.close(() => process.exit(0)));
        """;

    [Fact]
    public async Task RunFile_TwoReplicas_StartedWithPortsRoundRobinAndStoppedTogether()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "app"));
        Directory.CreateDirectory(Path.Combine(folder.Path, "components"));
        folder.Write(Path.Combine("app", "app.mjs"), App);
        folder.Write(Path.Combine("components", "c.yaml"), TestSidecar.InMemoryComponents);
        int portA = FreePort.Next(), portB = FreePort.Next();
        var file = folder.Write("dapr.yaml", $$"""
            version: 1
            common:
              resourcesPath: ./components
            apps:
              - appID: echo
                appDirPath: ./app
                appPort: {{portA}}
                command: ["node", "app.mjs"]
              - appID: echo
                appDirPath: ./app
                appPort: {{portB}}
                command: ["node", "app.mjs"]
            """);

        var runtime = await SidecarRuntime.StartAsync(SidecarCommandLine.Parse(["run", "-f", file, "--log-level", "warn"]));
        var pids = new List<int>();
        try
        {
            var instances = runtime.Apps.InstancesOf("echo");
            Assert.Equal(["echo-1", "echo-2"], instances.Select(i => i.InstanceId));
            await WaitAsync(() => instances.All(i => i.IsHealthy), "both replicas healthy");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{instances[0].SidecarHttpPort}/") };

            var answers = new List<JsonElement>();
            for (var i = 0; i < 4; i++)
            {
                answers.Add(JsonDocument.Parse(await http.GetStringAsync("v1.0/invoke/echo/method/who")).RootElement);
            }
            Assert.Equal(2, answers.Select(a => a.GetProperty("appPort").GetString()).Distinct().Count());
            Assert.All(answers, a => Assert.Equal("echo", a.GetProperty("appId").GetString()));
            Assert.Equal(
                instances.Select(i => $"{i.SidecarHttpPort}").Order(),
                answers.Select(a => a.GetProperty("daprPort").GetString()!).Distinct().Order());
            pids.AddRange(answers.Select(a => a.GetProperty("pid").GetInt32()).Distinct());

            // Each app saved state through its own sidecar at start-up (keys are per app id, so one sidecar sees both).
            await WaitAsync(async () => (await http.GetAsync($"v1.0/state/statestore/started-{portB}")).StatusCode == HttpStatusCode.OK, "state saved by replica 2");

            // A replica that exits is taken out of rotation at once (the other keeps serving), then restarted (SupervisionTests).
            using var direct = new HttpClient();
            await direct.GetAsync($"http://127.0.0.1:{portA}/exit");
            await WaitAsync(() => !instances[0].IsHealthy, "exited replica out of rotation");
            for (var i = 0; i < 3; i++)
            {
                var answer = JsonDocument.Parse(await http.GetStringAsync("v1.0/invoke/echo/method/who")).RootElement;
                Assert.Equal($"{portB}", answer.GetProperty("appPort").GetString());
            }
            await WaitAsync(() => instances[0].IsHealthy, "exited replica restarted");
            var restarted = new List<JsonElement>();
            for (var i = 0; i < 4; i++)
            {
                restarted.Add(JsonDocument.Parse(await http.GetStringAsync("v1.0/invoke/echo/method/who")).RootElement);
            }
            Assert.Contains(restarted, a => a.GetProperty("appPort").GetString() == $"{portA}");
            pids.AddRange(restarted.Select(a => a.GetProperty("pid").GetInt32()).Distinct());
        }
        finally
        {
            await runtime.DisposeAsync();
        }
        // Stopping the runtime stops every app it started.
        await WaitAsync(() => pids.All(IsGone), "app processes stopped");
    }

    [Fact]
    public async Task RunFile_DaprGrpcPortAndApiToken_InAppEnvironmentAsTheDaprCliSetsThem()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "app"));
        Directory.CreateDirectory(Path.Combine(folder.Path, "components"));
        folder.Write(Path.Combine("app", "env.mjs"), """
            import http from "node:http";
            const e = process.env;
            http.createServer((req, res) => res.end(JSON.stringify({
              grpcPort: e.DAPR_GRPC_PORT, grpcEndpoint: e.DAPR_GRPC_ENDPOINT, httpPort: e.DAPR_HTTP_PORT, token: e.DAPR_API_TOKEN ?? null,
            }))).listen(Number(e.APP_PORT), "127.0.0.1");
            process.on("SIGTERM", () => process.exit(0));
            """);
        folder.Write(Path.Combine("components", "c.yaml"), TestSidecar.InMemoryComponents);
        var grpcPort = FreePort.Next();
        var file = folder.Write("dapr.yaml", $$"""
            version: 1
            common:
              resourcesPath: ./components
            apps:
              - appID: fixed
                appDirPath: ./app
                appPort: {{FreePort.Next()}}
                daprGRPCPort: {{grpcPort}}
                command: ["node", "env.mjs"]
              - appID: free
                appDirPath: ./app
                appPort: {{FreePort.Next()}}
                command: ["node", "env.mjs"]
            """);

        var runtime = await SidecarRuntime.StartAsync(SidecarCommandLine.Parse(["run", "-f", file, "--log-level", "warn"]), s => s with { ApiToken = "run-token" });
        try
        {
            var instances = runtime.Apps.All;
            await WaitAsync(() => instances.All(i => i.IsHealthy), "both apps healthy");
            Assert.Equal(grpcPort, instances[0].SidecarGrpcPort);
            using var http = TestHttp.Client(new Uri($"http://127.0.0.1:{instances[0].SidecarHttpPort}/"));
            http.DefaultRequestHeaders.Add("dapr-api-token", "run-token");
            foreach (var instance in instances)
            {
                var env = JsonDocument.Parse(await http.GetStringAsync($"v1.0/invoke/{instance.AppId}/method/env")).RootElement;
                Assert.Equal($"{instance.SidecarGrpcPort}", env.GetProperty("grpcPort").GetString());
                Assert.Equal($"http://127.0.0.1:{instance.SidecarGrpcPort}", env.GetProperty("grpcEndpoint").GetString());
                Assert.Equal($"{instance.SidecarHttpPort}", env.GetProperty("httpPort").GetString());
                Assert.Equal("run-token", env.GetProperty("token").GetString());
            }
            Assert.NotEqual(instances[0].SidecarGrpcPort, instances[1].SidecarGrpcPort);
        }
        finally
        {
            await runtime.DisposeAsync();
        }
    }

    /// <param name="startedWithSigIntIgnored">
    /// Started as a script's background job is (a shell without job control ignores SIGINT for it): daprd and the dapr
    /// CLI still stop on SIGINT then, and so must this runtime, though .NET leaves an inherited ignored SIGINT ignored.
    /// False inherits the test host's disposition, which is ignored too when the test command itself runs as such a job.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunCommand_SigInt_PrefixedLogsThenEveryAppStopped(bool startedWithSigIntIgnored)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "app"));
        Directory.CreateDirectory(Path.Combine(folder.Path, "components"));
        folder.Write(Path.Combine("app", "app.mjs"), App.Replace("console.log(`ready", "console.log(`pid ${process.pid} ready", StringComparison.Ordinal));
        folder.Write(Path.Combine("components", "c.yaml"), TestSidecar.InMemoryComponents);
        var file = folder.Write("dapr.yaml", $$"""
            version: 1
            common:
              resourcesPath: ./components
            apps:
              - appID: alpha
                appDirPath: ./app
                appPort: {{FreePort.Next()}}
                command: ["node", "app.mjs"]
              - appID: beta
                appDirPath: ./app
                appPort: {{FreePort.Next()}}
                command: ["node", "app.mjs"]
            """);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // The shell ignores SIGINT, then execs the runtime in its place (same pid), which inherits the ignored disposition.
        var info = startedWithSigIntIgnored
            ? new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "trap '' INT; exec \"$0\" \"$@\"", "dotnet" } }
            : new ProcessStartInfo("dotnet");
        (info.RedirectStandardOutput, info.RedirectStandardError, info.UseShellExecute) = (true, true, false);
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Quoncept.Sidecar.dll"), "run", "-f", file })
        {
            info.ArgumentList.Add(arg);
        }
        using var runtime = Process.Start(info)!;
        runtime.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        runtime.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        runtime.BeginOutputReadLine();
        runtime.BeginErrorReadLine();
        try
        {
            await WaitAsync(() => output.Count(l => l.Contains(" ready ", StringComparison.Ordinal)) >= 2, "both apps ready");
            var readyLines = output.Where(l => l.Contains(" ready ", StringComparison.Ordinal)).ToList();
            Assert.Contains(readyLines, l => l.StartsWith("== APP - alpha == pid ", StringComparison.Ordinal) && l.EndsWith("ready alpha 204", StringComparison.Ordinal));
            Assert.Contains(readyLines, l => l.StartsWith("== APP - beta == pid ", StringComparison.Ordinal) && l.EndsWith("ready beta 204", StringComparison.Ordinal));
            var pids = readyLines.Select(l => int.Parse(l.Split(' ')[6], System.Globalization.CultureInfo.InvariantCulture)).ToList();

            using (var kill = Process.Start("kill", ["-INT", $"{runtime.Id}"]))
            {
                await kill.WaitForExitAsync();
            }
            // Within the host's own shutdown deadline (30 s) and the apps' stop grace (5 s): this checks a clean exit, not its speed.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            try
            {
                await runtime.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("the runtime did not exit within 40 s of SIGINT; its state:\n" + ProcessState(runtime.Id) + "\nits last output:\n" + string.Join('\n', output.TakeLast(40)));
            }
            Assert.Equal(0, runtime.ExitCode);
            Assert.All(pids, pid => Assert.True(IsGone(pid), $"app process {pid} still running after Ctrl-C"));
        }
        finally
        {
            if (!runtime.HasExited)
            {
                runtime.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>
    /// For a runtime that did not exit after SIGINT: whether the signal is still pending or blocked (status), and what
    /// each thread is doing (name, state, kernel wait channel), so that a rare hang in a loaded test run can be told apart
    /// from a slow reader of its output.
    /// </summary>
    private static string ProcessState(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status")
                .Where(l => l.StartsWith("State", StringComparison.Ordinal) || l.StartsWith("Sig", StringComparison.Ordinal) || l.StartsWith("ShdPnd", StringComparison.Ordinal) || l.StartsWith("Threads", StringComparison.Ordinal));
            var threads = Directory.GetDirectories($"/proc/{pid}/task").Select(task =>
            {
                string Read(string name) => File.Exists(Path.Combine(task, name)) ? File.ReadAllText(Path.Combine(task, name)).Trim() : "?";
                var stat = Read("stat");
                var state = stat.LastIndexOf(')') is var close and > 0 && close + 2 < stat.Length ? stat[close + 2].ToString() : "?";
                return $"  {Path.GetFileName(task)} {Read("comm")} {state} {Read("wchan")}";
            });
            return string.Join('\n', status.Concat(threads));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return $"(no /proc/{pid}: {error.Message})";
        }
    }

    private static bool IsGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static Task WaitAsync(Func<bool> condition, string what) => WaitAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(50);
        }
    }
}
