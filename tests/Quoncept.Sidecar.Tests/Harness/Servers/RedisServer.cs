using System.Net.Sockets;
using System.Text;
using Quoncept.Sidecar.Runner;

namespace Quoncept.Sidecar.Tests.Harness.Servers;

/// <summary>
/// A real <c>redis-server</c> (Debian package redis-server) on a free 127.0.0.1 port with a temporary data folder,
/// configured as the redis profile runs it: append-only file fsynced on every write, so a write Redis answered
/// survives <c>kill -9</c>. Optionally with a password.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly TempFolder _data = new();
    private readonly ServerProcess _process;

    private RedisServer(string? password)
    {
        Port = FreePort.Next();
        Password = password;
        List<string> arguments =
        [
            "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _data.Path, "--daemonize", "no",
            "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--logfile", "",
        ];
        if (password is not null)
        {
            arguments.AddRange(["--requirepass", password]);
        }
        _process = new ServerProcess("redis-server", ServerProcess.Find("redis-server", "redis-server", "/usr/sbin"), arguments);
    }

    public int Port { get; }

    public string? Password { get; }

    public string Host => $"127.0.0.1:{Port}";

    public string DataPath => _data.Path;

    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        var server = new RedisServer(password);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="Kill"/>) on the same port and data, and waits for it to answer.</summary>
    public async Task RestartAsync()
    {
        _process.Start();
        await _process.WaitReadyAsync(PingAsync, TimeSpan.FromSeconds(20));
    }

    public void Kill() => _process.Kill();

    /// <summary>Sends one command in RESP and returns the raw reply (enough for tests to look at keys as daprd laid them out).</summary>
    public async Task<string> CommandAsync(params string[] words)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        await using var stream = client.GetStream();
        var request = new StringBuilder();
        if (Password is not null)
        {
            Append(request, ["AUTH", Password]);
        }
        Append(request, words);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        var buffer = new byte[64 * 1024];
        var received = new StringBuilder();
        // A reply ends with CRLF; wait a moment more for bulk parts.
        do
        {
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            if (read == 0)
            {
                break;
            }
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            await Task.Delay(20);
        }
        while (client.Available > 0);
        var reply = received.ToString();
        return Password is not null && reply.StartsWith("+OK\r\n", StringComparison.Ordinal) ? reply[5..] : reply;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Dispose();
        await Task.Yield();
        _data.Dispose();
    }

    private async Task<bool> PingAsync() => (await CommandAsync("PING")).StartsWith("+PONG", StringComparison.Ordinal);

    private static void Append(StringBuilder request, string[] words)
    {
        request.Append('*').Append(words.Length).Append("\r\n");
        foreach (var word in words)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(word)).Append("\r\n").Append(word).Append("\r\n");
        }
    }
}
