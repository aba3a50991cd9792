using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Quoncept.Universe.Tests.EndToEnd;

namespace Quoncept.Universe.Tests.Operations;

/// <summary>
/// Debian's real <c>prometheus</c> (installed by ./test.sh), started on a free loopback port with a scrape
/// config for the given targets, every second; read back through its HTTP query API (<c>/api/v1/query</c>).
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly HttpClient _http;
    private readonly StringBuilder _log = new();

    private PrometheusServer(Process process, string dir, int port)
    {
        (_process, _dir) = (process, dir);
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <param name="targets">Scrape targets by job, each a loopback port with its <c>app</c> label.</param>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> targets)
    {
        var binary = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("prometheus is not installed: ./test.sh installs Debian's prometheus package (apt-get install -y prometheus)");
        var dir = Directory.CreateTempSubdirectory("quoncept-prometheus-").FullName;
        var config = new StringBuilder()
            .AppendLine("global:")
            .AppendLine("  scrape_interval: 1s")
            .AppendLine("  scrape_timeout: 1s")
            .AppendLine("scrape_configs:");
        foreach (var (job, ports) in targets)
        {
            config.AppendLine($"  - job_name: {job}").AppendLine("    static_configs:");
            foreach (var (app, appPort) in ports)
            {
                config.AppendLine($"      - targets: ['127.0.0.1:{appPort}']").AppendLine($"        labels: {{app: '{app}'}}");
            }
        }
        File.WriteAllText(Path.Combine(dir, "prometheus.yml"), config.ToString());
        var port = FreePorts.Take(1)[0];
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
        foreach (var a in new[] { $"--config.file={Path.Combine(dir, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(dir, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn" })
        {
            info.ArgumentList.Add(a);
        }
        var server = new PrometheusServer(Process.Start(info)!, dir, port);
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        await server.WaitAsync("prometheus to be ready", async () =>
        {
            using var response = await server._http.GetAsync("/-/ready");
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(30));
        return server;
    }

    /// <summary>The value of an instant query that yields one number (a sum); no series at all is 0, as a counter not yet counted.</summary>
    public async Task<double> QueryAsync(string promql)
    {
        var json = await _http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var doc = JsonDocument.Parse(json);
        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        if (result.GetArrayLength() == 0) return 0;
        if (result.GetArrayLength() > 1) throw new InvalidOperationException($"query {promql} gave {result.GetArrayLength()} series; sum it: {json}");
        return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until Prometheus has scraped every target successfully at least once.</summary>
    public Task WaitForTargetsUpAsync(int count) =>
        WaitAsync($"{count} targets up", async () => await QueryAsync("sum(up)") >= count, TimeSpan.FromSeconds(60));

    /// <summary>Polls <paramref name="promql"/> until it equals <paramref name="expected"/> (scrapes come every second); returns the last value.</summary>
    public Task<double> EventuallyAsync(string promql, double expected, TimeSpan? within = null) =>
        PollAsync(promql, value => Math.Abs(value - expected) < 1e-9, within);

    /// <summary>The query's value once it is at least <paramref name="minimum"/>, or the last one read when the time is up.</summary>
    public Task<double> AtLeastAsync(string promql, double minimum, TimeSpan? within = null) =>
        PollAsync(promql, value => value >= minimum - 1e-9, within);

    private async Task<double> PollAsync(string promql, Func<double, bool> done, TimeSpan? within)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var value = await QueryAsync(promql);
            if (done(value) || deadline.Elapsed > (within ?? TimeSpan.FromSeconds(20))) return value;
            await Task.Delay(250);
        }
    }

    /// <summary>Waits until the query's value has not changed for <paramref name="quiet"/> (several scrapes), at most 20 s.</summary>
    public async Task SettledAsync(string promql, TimeSpan quiet)
    {
        var deadline = Stopwatch.StartNew();
        var (last, since) = (await QueryAsync(promql), Stopwatch.StartNew());
        while (since.Elapsed < quiet && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(250);
            var value = await QueryAsync(promql);
            if (Math.Abs(value - last) > 1e-9) (last, since) = (value, Stopwatch.StartNew());
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitAsync(string what, Func<Task<bool>> check, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"prometheus exited with {_process.ExitCode} waiting for {what}:\n{Log}");
            try
            {
                if (await check()) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (deadline.Elapsed > within) throw new TimeoutException($"waited {within.TotalSeconds:0} s for {what}:\n{Log}");
            await Task.Delay(250);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            if (_log.Length < 200_000) _log.AppendLine(line);
        }
    }
}
