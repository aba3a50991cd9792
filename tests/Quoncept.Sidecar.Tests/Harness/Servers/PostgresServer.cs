using System.Diagnostics;
using Npgsql;
using Quoncept.Sidecar.Runner;

namespace Quoncept.Sidecar.Tests.Harness.Servers;

/// <summary>
/// A real PostgreSQL (Debian package postgresql) on a free 127.0.0.1 port: a fresh cluster made by <c>initdb</c> in a
/// temporary folder, password authentication over TCP. PostgreSQL refuses to run as root, so as root both run as the
/// <c>postgres</c> user the package creates (<c>runuser</c>), owning the folder.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    public const string Password = "quoncept-test";

    private readonly TempFolder _data = new();
    private readonly ServerProcess _process;
    private readonly string? _runAs = Environment.UserName == "root" ? "postgres" : null;

    private PostgresServer(string bin)
    {
        Port = FreePort.Next();
        _process = new ServerProcess("postgres", Path.Combine(bin, "postgres"),
            ["-D", Cluster, "-h", "127.0.0.1", "-p", Port.ToString(), "-k", _data.Path, "-c", "fsync=off", "-c", "max_connections=50"], _runAs);
    }

    public int Port { get; }

    public string ConnectionString => $"host=127.0.0.1 port={Port} user=postgres password={Password} dbname=postgres";

    private string Cluster => Path.Combine(_data.Path, "cluster");

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
            : null;
        bin ??= Path.GetDirectoryName(ServerProcess.Find("initdb", "postgresql"))!;
        var server = new PostgresServer(bin);
        server.InitializeCluster(bin);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="Kill"/>) on the same port and cluster, and waits for it to take a login.</summary>
    public async Task RestartAsync()
    {
        _process.Start();
        await _process.WaitReadyAsync(LoginAsync, TimeSpan.FromSeconds(30));
    }

    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        _process.Dispose();
        NpgsqlConnection.ClearAllPools();
        await Task.Yield();
        _data.Dispose();
    }

    private void InitializeCluster(string bin)
    {
        var passwordFile = _data.Write("password", Password);
        if (_runAs is not null)
        {
            Run("chown", "-R", _runAs, _data.Path);
        }
        List<string> initdb = [Path.Combine(bin, "initdb"), "-D", Cluster, "-U", "postgres", "--pwfile", passwordFile,
            "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"];
        if (_runAs is not null)
        {
            initdb.InsertRange(0, ["-u", _runAs, "--"]);
            Run("runuser", [.. initdb]);
        }
        else
        {
            Run(initdb[0], [.. initdb.Skip(1)]);
        }
    }

    private async Task<bool> LoginAsync()
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password};Database=postgres;Pooling=false;Timeout=2");
        try
        {
            await connection.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {errors.Result}{output.Result}");
        }
    }
}
