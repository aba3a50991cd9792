using Quoncept.Sidecar.Runner;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Quoncept.Contracts;

namespace Quoncept.Benchmarks.Universe;

/// <summary>
/// <c>services [--clients N] [--rounds N] [--concurrency N]</c>: starts the local runtime with the sessions, characters and
/// systems apps (Release builds, embedded SQLite + in-memory pub/sub, free ports, a temporary folder),
/// then drives the actors through the sidecar's actor API the way the gateway does: N characters log
/// in, then each moves along a lane and chats, round after round, at most --concurrency calls in flight
/// (default 16). Prints latency p50/p99/max and throughput per operation. Bounded: at most 2,000 clients and 50 rounds, 30 s per phase.
/// </summary>
internal static class ServicesBenchmark
{
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var clients = 200;
        var rounds = 5;
        var concurrency = 16;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--clients" && i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is >= 1 and <= 2_000)
            {
                clients = c;
            }
            else if (args[i] == "--rounds" && i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r is >= 1 and <= 50)
            {
                rounds = r;
            }
            else if (args[i] == "--concurrency" && i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k is >= 1 and <= 2_000)
            {
                concurrency = k;
            }
            else
            {
                Console.Error.WriteLine("usage: services [--clients 1..2000] [--rounds 1..50] [--concurrency 1..2000]");
                return 2;
            }
        }

        var root = RepoRoot.Find();
        var runtime = Path.Combine(root, "dapr", "Quoncept.Sidecar", "bin", "Release", "net10.0", "Quoncept.Sidecar.dll");
        foreach (var dll in new[] { runtime }.Concat(new[] { "Sessions", "Characters", "Systems" }.Select(s => Path.Combine(root, "services", "Quoncept." + s, "bin", "Release", "net10.0", $"Quoncept.{s}.dll"))))
        {
            if (!File.Exists(dll))
            {
                Console.Error.WriteLine($"services: {dll} is missing; run 'dotnet build Dapr.sln -c Release' first");
                return 2;
            }
        }

        var work = Directory.CreateTempSubdirectory("quoncept-services-bench-");
        var sidecarPort = FreePort.Next();
        var runFile = WriteRunFile(root, work.FullName, sidecarPort);
        var info = new ProcessStartInfo("dotnet", [runtime, "run", "-f", runFile, "--log-level", "warn"])
        {
            WorkingDirectory = work.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Quoncept__Jwt__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
        using var process = Process.Start(info)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{sidecarPort}/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        try
        {
            await WaitForActorsAsync(http);
            Gate = new SemaphoreSlim(concurrency);
            Console.WriteLine($"{clients} clients, {rounds} rounds, {concurrency} calls in flight");
            var ids = Enumerable.Range(6, clients).Select(i => "c" + i.ToString("D6", CultureInfo.InvariantCulture)).ToArray();
            var systems = new string[clients];
            var neighbours = new string[clients];
            var connection = "bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

            await PhaseAsync("login", clients, async i =>
            {
                var outcome = await CallAsync<LoginCommand, LoginOutcome>(http, ActorTypes.Character, ids[i], "LoginAsync", new LoginCommand("login", connection));
                systems[i] = outcome.Character!.SystemId;
                neighbours[i] = outcome.System!.System.Neighbours[0].Id;
            });
            for (var round = 0; round < rounds; round++)
            {
                var r = round;
                await PhaseAsync("move", clients, async i =>
                {
                    var outcome = await CallAsync<MoveCommand, MoveOutcome>(http, ActorTypes.Character, ids[i], "MoveAsync", new MoveCommand("move-" + r, connection, neighbours[i]));
                    (systems[i], neighbours[i]) = (outcome.Character!.SystemId, systems[i]);
                });
                await PhaseAsync("chat", clients, i =>
                    CallAsync<ChatCommand, ChatOutcome>(http, ActorTypes.System, systems[i], "ChatAsync", new ChatCommand("chat-" + r, connection, ids[i], "o7")));
            }

            PrintAll();
            return 0;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            work.Delete(recursive: true);
        }
    }

    private static readonly Dictionary<string, List<double>> Latencies = [];
    private static readonly Dictionary<string, TimeSpan> Elapsed = [];
    private static SemaphoreSlim Gate = new(1);

    /// <summary>Runs one call per client, at most <see cref="Gate"/>'s count at a time; figures add up per phase name.</summary>
    private static async Task PhaseAsync(string name, int clients, Func<int, Task> call)
    {
        if (!Latencies.TryGetValue(name, out var latencies))
        {
            Latencies[name] = latencies = [];
            Elapsed[name] = TimeSpan.Zero;
        }

        using var limit = new CancellationTokenSource(PhaseLimit);
        var total = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, clients).Select(async i =>
        {
            await Gate.WaitAsync(limit.Token);
            try
            {
                var stopwatch = Stopwatch.StartNew();
                await call(i).WaitAsync(limit.Token);
                lock (latencies)
                {
                    latencies.Add(stopwatch.Elapsed.TotalMilliseconds);
                }
            }
            finally
            {
                Gate.Release();
            }
        });
        await Task.WhenAll(tasks);
        Elapsed[name] += total.Elapsed;
    }

    private static void PrintAll()
    {
        foreach (var (name, latencies) in Latencies)
        {
            latencies.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-6} {latencies.Count,6} calls  {latencies.Count / Elapsed[name].TotalSeconds,7:F0}/s  p50 {latencies[latencies.Count / 2],6:F1} ms  p99 {latencies[(int)(latencies.Count * 0.99)],6:F1} ms  max {latencies[^1],6:F1} ms"));
        }
    }

    // PUT /v1.0/actors/{type}/{id}/method/{method}, JSON body -> JSON result (Dapr actors API).
    private static async Task<TResult> CallAsync<TRequest, TResult>(HttpClient http, string type, string id, string method, TRequest request)
        where TResult : class
    {
        using var response = await http.PutAsJsonAsync($"v1.0/actors/{type}/{id}/method/{method}", request, WireJson.Options);
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<TResult>(WireJson.Options)
            ?? throw new InvalidOperationException($"{type}/{id}.{method} answered null");
        if (result.GetType().GetProperty("Error")?.GetValue(result) is Failure failure)
        {
            throw new InvalidOperationException($"{type}/{id}.{method}: {failure.Code} {failure.Message}");
        }

        return result;
    }

    private static async Task WaitForActorsAsync(HttpClient http)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.PutAsync($"v1.0/actors/{ActorTypes.System}/s0001/method/GetInfoAsync", null);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Console.WriteLine($"services ready after {deadline.Elapsed.TotalSeconds:F1} s");
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("the services did not become ready within 60 s");
            }

            await Task.Delay(200);
        }
    }

    private static string WriteRunFile(string root, string work, int characterSidecarPort)
    {
        string App(string id, string project, int sidecar)
        {
            var appPort = FreePort.Next();
            return $"""
                  - appID: {id}
                    appDirPath: {Path.Combine(root, "services", project)}
                    appPort: {appPort}
                    daprHTTPPort: {sidecar}
                    command: ["dotnet", "bin/Release/net10.0/{project}.dll"]
                    env:
                      ASPNETCORE_URLS: "http://127.0.0.1:{appPort}"

                """;
        }

        var path = Path.Combine(work, "run.yaml");
        File.WriteAllText(path, $"""
            version: 1
            common:
              resourcesPath: {Path.Combine(root, "components")}
            apps:

            """ + App(AppIds.Sessions, "Quoncept.Sessions", FreePort.Next()) + App(AppIds.Characters, "Quoncept.Characters", characterSidecarPort) + App(AppIds.Systems, "Quoncept.Systems", FreePort.Next()));
        return path;
    }

}
