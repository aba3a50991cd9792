using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.Runner;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>
/// <c>run -f</c> as a process manager: an app killed with SIGKILL is started again after a back-off and its
/// actors are placed on it again; an app that keeps exiting is given up on with one clear line.
/// </summary>
public sealed class SupervisionTests
{
    // A minimal actor host in Dapr's app-callback protocol: one actor type whose methods answer with the
    // process id, so a caller can tell which process served it.
    private const string ActorApp = """
        import http from "node:http";
        const { APP_PORT } = process.env;
        http.createServer((req, res) => {
          res.setHeader("content-type", "application/json");
          if (req.url === "/dapr/config") { res.end(JSON.stringify({ entities: ["counter"] })); return; }
          if (req.url === "/dapr/subscribe") { res.end("[]"); return; }
          if (req.method === "DELETE") { res.end(); return; }
          res.end(JSON.stringify({ pid: process.pid, url: req.url }));
        }).listen(Number(APP_PORT), "127.0.0.1");
        process.on("SIGTERM", () => process.exit(0));
        """;

    [Fact]
    public async Task RunFile_AppKilledWithSigkill_RestartedAndItsActorsAnswerAgain()
    {
        using var folder = new TempFolder();
        var file = WriteRunFile(folder, "actors.mjs", ActorApp, ["node", "actors.mjs"]);
        var runtime = await SidecarRuntime.StartAsync(SidecarCommandLine.Parse(["run", "-f", file, "--log-level", "warn", "--restart-backoff", "200ms"]));
        try
        {
            var instance = runtime.Apps.All.Single();
            var supervisor = runtime.App.Services.GetRequiredService<AppSupervisor>();
            var restarts = new ConcurrentQueue<int>();
            supervisor.Restarted += (_, pid) => restarts.Enqueue(pid);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{instance.SidecarHttpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
            var first = await ActorPidAsync(http, "c1");
            Assert.Equal(supervisor.ProcessIdOf(instance), first);

            using (var kill = Process.Start("kill", ["-KILL", $"{first}"]))
            {
                await kill.WaitForExitAsync();
            }
            await WaitAsync(() => !instance.IsHealthy, "the exit noticed");

            // The call made while the app is down waits for it to come back (it is starting again), then answers from the new process.
            var second = await ActorPidAsync(http, "c1");
            Assert.NotEqual(first, second);
            Assert.Equal([second], restarts);
            Assert.Equal(AppHealth.Healthy, instance.Health);
            Assert.Equal(second, await ActorPidAsync(http, "c2"));
        }
        finally
        {
            await runtime.DisposeAsync();
        }
    }

    [Fact]
    public async Task RunFile_AppGetsSigterm_ActorCallsDuringTheRestartWaitAndAreServedByTheNewProcess()
    {
        using var folder = new TempFolder();
        // On SIGTERM the app stops listening at once, closes its idle connections, finishes what is under way and exits a
        // moment later, as an ASP.NET Core app drains.
        var graceful = ActorApp.Replace("process.on(\"SIGTERM\", () => process.exit(0));",
            "process.on(\"SIGTERM\", () => { server.close(); server.closeIdleConnections(); setTimeout(() => process.exit(0), 400); });", StringComparison.Ordinal)
            .Replace("http.createServer(", "const server = http.createServer(", StringComparison.Ordinal);
        var file = WriteRunFile(folder, "actors.mjs", graceful, ["node", "actors.mjs"]);
        var runtime = await SidecarRuntime.StartAsync(SidecarCommandLine.Parse(["run", "-f", file, "--log-level", "warn", "--restart-backoff", "200ms"]));
        try
        {
            var instance = runtime.Apps.All.Single();
            var supervisor = runtime.App.Services.GetRequiredService<AppSupervisor>();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{instance.SidecarHttpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
            var ids = Enumerable.Range(0, 8).Select(i => $"a{i}").ToList();
            var first = (await Task.WhenAll(ids.Select(id => ActorPidAsync(http, id)))).Distinct().Single();

            using (var term = Process.Start("kill", ["-TERM", $"{first}"]))
            {
                await term.WaitForExitAsync();
            }
            // Calls made while the old process is stopping (not listening, not yet exited) and while it restarts:
            // refused connections take the host out of placement and the calls wait for it. Rounds of calls go on until
            // the new process runs (the first may still reach the old one before it handles SIGTERM).
            // One race is left to the caller, as daprd leaves it: a call sent on a connection the app closes at that
            // instant (idle, or still in the closed listener's backlog) ends with no response (EOF or a reset), and the runtime cannot
            // tell that from an app that died while running it, so it fails it instead of running it twice. A client
            // retries such a call (an idempotent one, as the universe's are by request id); no other failure passes.
            var during = new List<int>();
            var clock = Stopwatch.StartNew();
            while (supervisor.ProcessIdOf(instance) is not { } now || now == first)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no new process within 30 s of the SIGTERM");
                during.AddRange(await Task.WhenAll(ids.Select(id => ActorPidAsync(http, id, retriesOnEndedResponse: 3))));
            }

            var second = supervisor.ProcessIdOf(instance);
            Assert.NotNull(second);
            Assert.NotEqual(first, second);
            Assert.All(during, pid => Assert.True(pid == first || pid == second, $"answered by {pid}"));
            Assert.Equal(second, await ActorPidAsync(http, "a0"));
        }
        finally
        {
            await runtime.DisposeAsync();
        }
    }

    [Fact]
    public async Task RunFile_AppExitsOnItsOwn_RestartedWithBackoffThenServesInvocations()
    {
        using var folder = new TempFolder();
        var file = WriteRunFile(folder, "actors.mjs", ActorApp, ["node", "actors.mjs"]);
        var runtime = await SidecarRuntime.StartAsync(SidecarCommandLine.Parse(["run", "-f", file, "--log-level", "warn", "--restart-backoff", "1s"]));
        try
        {
            var instance = runtime.Apps.All.Single();
            var supervisor = runtime.App.Services.GetRequiredService<AppSupervisor>();
            await WaitAsync(() => instance.IsHealthy, "app healthy");
            var first = supervisor.ProcessIdOf(instance)!.Value;
            var killed = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-KILL", $"{first}"]))
            {
                await kill.WaitForExitAsync();
            }
            await WaitAsync(() => supervisor.ProcessIdOf(instance) is { } pid && pid != first, "a new process");
            // Not before the back-off the command line asked for.
            Assert.True(killed.Elapsed >= TimeSpan.FromSeconds(0.9), $"restarted after {killed.Elapsed.TotalMilliseconds:0} ms, before the 1s back-off");
            await WaitAsync(() => instance.IsHealthy, "restarted app healthy");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{instance.SidecarHttpPort}/") };
            var answer = JsonDocument.Parse(await http.GetStringAsync("v1.0/invoke/worker/method/hello")).RootElement;
            Assert.Equal(supervisor.ProcessIdOf(instance), answer.GetProperty("pid").GetInt32());
        }
        finally
        {
            await runtime.DisposeAsync();
        }
    }

    [Fact]
    public async Task RunCommand_CrashLoop_GivenUpWithOneClearLineAndTheRuntimeServesOn()
    {
        using var folder = new TempFolder();
        var file = WriteRunFile(folder, "crash.mjs", """console.log("crashing"); process.exit(7);""", ["node", "crash.mjs"]);
        var output = new ConcurrentQueue<string>();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Quoncept.Sidecar.dll"), "run", "-f", file,
            "--max-restarts", "2", "--restart-window", "1m", "--restart-backoff", "100ms" })
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
            await WaitAsync(() => output.Any(l => l.Contains("is in a crash loop", StringComparison.Ordinal)), "the crash-loop line");
            var line = output.Single(l => l.Contains("is in a crash loop", StringComparison.Ordinal));
            Assert.Contains("app worker is in a crash loop: it exited 3 times within 60s (last exit code 7)", line, StringComparison.Ordinal);
            Assert.Contains("--max-restarts 2", line, StringComparison.Ordinal);
            // Started once and restarted twice, then left alone.
            await Task.Delay(500);
            Assert.Equal(3, output.Count(l => l.Contains("== APP - worker == crashing", StringComparison.Ordinal)));
            Assert.Equal(2, output.Count(l => l.Contains("restarting it in", StringComparison.Ordinal)));
            Assert.False(runtime.HasExited, "the runtime must keep serving the other apps");
        }
        finally
        {
            runtime.Kill(entireProcessTree: true);
            await runtime.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task RunFile_MaxRestartsZero_ExitedAppIsGoneAndNotRestarted()
    {
        using var folder = new TempFolder();
        var file = WriteRunFile(folder, "actors.mjs", ActorApp, ["node", "actors.mjs"]);
        var runtime = await SidecarRuntime.StartAsync(SidecarCommandLine.Parse(["run", "-f", file, "--log-level", "warn", "--max-restarts", "0"]));
        try
        {
            var instance = runtime.Apps.All.Single();
            var supervisor = runtime.App.Services.GetRequiredService<AppSupervisor>();
            await WaitAsync(() => instance.IsHealthy, "app healthy");
            using (var kill = Process.Start("kill", ["-KILL", $"{supervisor.ProcessIdOf(instance)}"]))
            {
                await kill.WaitForExitAsync();
            }
            await WaitAsync(() => instance.Health == AppHealth.Gone, "app gone");
            Assert.Null(supervisor.ProcessIdOf(instance));
        }
        finally
        {
            await runtime.DisposeAsync();
        }
    }

    /// <param name="retriesOnEndedResponse">
    /// How many times a call whose response ended before any byte is sent again: each of the runtime's pooled
    /// connections to the app can meet the app's close once, so a retry can meet it on another one.
    /// </param>
    private static async Task<int> ActorPidAsync(HttpClient http, string id, int retriesOnEndedResponse = 0)
    {
        using var response = await http.PutAsync($"v1.0/actors/counter/{id}/method/who", new StringContent("{}"));
        var body = await response.Content.ReadAsStringAsync();
        // The two ways a sent request meets a connection the app has just closed: EOF, or a reset, before any response byte.
        if (retriesOnEndedResponse > 0 && !response.IsSuccessStatusCode
            && (body.Contains("The response ended prematurely", StringComparison.Ordinal) || body.Contains("Unable to read data from the transport connection", StringComparison.Ordinal)))
        {
            return await ActorPidAsync(http, id, retriesOnEndedResponse - 1);
        }
        Assert.True(response.IsSuccessStatusCode, $"actor call answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("pid").GetInt32();
    }

    private static string WriteRunFile(TempFolder folder, string script, string source, string[] command)
    {
        Directory.CreateDirectory(Path.Combine(folder.Path, "app"));
        Directory.CreateDirectory(Path.Combine(folder.Path, "components"));
        folder.Write(Path.Combine("app", script), source);
        folder.Write(Path.Combine("components", "c.yaml"), TestSidecar.InMemoryComponents);
        return folder.Write("dapr.yaml", $$"""
            version: 1
            common:
              resourcesPath: ./components
            apps:
              - appID: worker
                appDirPath: ./app
                appPort: {{FreePort.Next()}}
                command: [{{string.Join(", ", command.Select(c => $"\"{c}\""))}}]
            """);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        // Generous: node and dotnet start slowly on a loaded 2-core machine; a met condition returns at once.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(50);
        }
    }
}
