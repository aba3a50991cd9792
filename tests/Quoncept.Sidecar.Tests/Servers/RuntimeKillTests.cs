using System.Net;
using System.Text;
using System.Text.Json;
using Quoncept.Sidecar.Runner;
using Quoncept.Sidecar.Tests.Harness;
using Quoncept.Sidecar.Tests.Harness.Servers;

namespace Quoncept.Sidecar.Tests.Servers;

/// <summary>
/// The runtime itself killed with <c>kill -9</c> under load on the redis profile's component types (state.redis with
/// actor state, pubsub.redis), then started again: every acknowledged state write is there, every acknowledged
/// publish reaches the app (pending stream entries claimed again), and a reminder registered before the kill fires
/// again. The app (node) and redis-server keep running throughout, as they would beside a crashed daprd.
/// </summary>
public sealed class RuntimeKillTests
{
    // Records what the runtime hands it; answers /orders slowly so that deliveries are in flight when the runtime dies.
    private const string App = """
        import http from "node:http";
        const port = Number(process.argv[2]);
        const orders = new Set();
        let reminders = 0;
        http.createServer((req, res) => {
          let body = "";
          req.on("data", (c) => (body += c));
          req.on("end", () => {
            res.setHeader("content-type", "application/json");
            if (req.url === "/dapr/config") return res.end(JSON.stringify({ entities: ["Pinger"], actorIdleTimeout: "1h" }));
            if (req.url === "/dapr/subscribe") return res.end(JSON.stringify([{ pubsubname: "pubsub", topic: "orders", route: "/orders" }]));
            if (req.url === "/seen") return res.end(JSON.stringify({ orders: [...orders], reminders }));
            if (req.url === "/orders") {
              const event = JSON.parse(body);
              return setTimeout(() => { orders.add(event.data.n); res.end(JSON.stringify({ status: "SUCCESS" })); }, 50);
            }
            if (req.url.startsWith("/actors/Pinger/") && req.url.includes("/method/remind/")) reminders++;
            res.end("{}");
          });
        }).listen(port, "127.0.0.1");
        """;

    [Fact]
    public async Task RuntimeKilledAndRestarted_AcknowledgedWritesAndPublishesKept_ReminderFiresAgain()
    {
        await using var redis = await RedisServer.StartAsync();
        using var folder = new TempFolder();
        folder.Write("components.yaml", RedisFixture.StateComponent(redis.Host) + "---\n" + RedisFixture.PubSubComponent(redis.Host, """
                - name: processingTimeout
                  value: "2s"
                - name: redeliverInterval
                  value: "1s"
            """));
        var script = folder.Write("app.mjs", App);
        var (appPort, httpPort, grpcPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        using var app = new ServerProcess("app", ServerProcess.Find("node", "nodejs", "/usr/local/bin"), [script, $"{appPort}"]);
        app.Start();
        using var appClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{appPort}/"), Timeout = TimeSpan.FromSeconds(10) };
        await app.WaitReadyAsync(() => AnswersAsync(appClient, "seen"), TimeSpan.FromSeconds(30));

        using var runtime = new ServerProcess("runtime", ServerProcess.Find("dotnet", "dotnet-sdk", "/usr/share/dotnet", "/usr/local/bin"),
            [Path.Combine(AppContext.BaseDirectory, "Quoncept.Sidecar.dll"), "--app-id", "killed", "--app-port", $"{appPort}", "--app-protocol", "http",
                "--dapr-http-port", $"{httpPort}", "--dapr-grpc-port", $"{grpcPort}", "--resources-path", folder.Path, "--log-level", "warn"]);
        using var dapr = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(10) };
        async Task StartRuntimeAsync()
        {
            runtime.Start();
            await runtime.WaitReadyAsync(() => AnswersAsync(dapr, "v1.0/healthz"), TimeSpan.FromSeconds(60));
        }
        await StartRuntimeAsync();

        var reminder = await dapr.PostAsync("v1.0/actors/Pinger/p1/reminders/tick", Json("""{"dueTime":"0s","period":"500ms"}"""));
        Assert.True(reminder.IsSuccessStatusCode, $"registering the reminder answered {(int)reminder.StatusCode}: {await reminder.Content.ReadAsStringAsync()}");

        // State writes and publishes race the kill: whatever was acknowledged must survive it.
        var (written, published) = (new List<int>(), new List<int>());
        using var load = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !load.IsCancellationRequested; i++)
            {
                try
                {
                    var save = await dapr.PostAsync("v1.0/state/statestore", Json($$"""[{"key":"k{{i}}","value":{{i}}}]"""));
                    if (save.StatusCode == HttpStatusCode.NoContent) lock (written) written.Add(i);
                    var publish = await dapr.PostAsync("v1.0/publish/pubsub/orders", Json($$"""{"n":{{i}}}"""));
                    if (publish.StatusCode == HttpStatusCode.NoContent) lock (published) published.Add(i);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return; // the runtime is gone
                }
            }
        });
        // A loaded machine gets through fewer calls per second: kill once enough got in, not after a fixed time.
        var enough = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < enough && !writer.IsCompleted)
        {
            int writes, publishes;
            lock (written) writes = written.Count;
            lock (published) publishes = published.Count;
            if (writes > 20 && publishes > 20) break;
            await Task.Delay(100);
        }
        var remindersBefore = (await SeenAsync(appClient)).Reminders;
        runtime.Kill();
        await load.CancelAsync();
        await writer;
        Assert.True(written.Count > 20 && published.Count > 20, $"too little got in before the kill: {written.Count} writes, {published.Count} publishes");

        await StartRuntimeAsync();

        foreach (var i in written)
        {
            var get = await dapr.GetAsync($"v1.0/state/statestore/k{i}");
            Assert.True(get.StatusCode == HttpStatusCode.OK, $"acknowledged write k{i} lost after the runtime's kill -9 ({get.StatusCode})");
            Assert.Equal(i.ToString(), await get.Content.ReadAsStringAsync());
        }
        var deadline = DateTime.UtcNow.AddSeconds(45);
        (int[] Orders, int Reminders) seen;
        while (true)
        {
            seen = await SeenAsync(appClient);
            var missing = published.Except(seen.Orders).ToList();
            if (missing.Count == 0 && seen.Reminders >= remindersBefore + 3) break;
            Assert.True(DateTime.UtcNow < deadline,
                $"after the restart: {missing.Count} acknowledged publishes never delivered (e.g. {string.Join(", ", missing.Take(5))}); reminder calls {seen.Reminders} (before the kill {remindersBefore})\n{runtime.RecentOutput}");
            await Task.Delay(250);
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<(int[] Orders, int Reminders)> SeenAsync(HttpClient app)
    {
        using var document = JsonDocument.Parse(await app.GetStringAsync("seen"));
        return ([.. document.RootElement.GetProperty("orders").EnumerateArray().Select(e => e.GetInt32())], document.RootElement.GetProperty("reminders").GetInt32());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
