using System.Net.Sockets;
using System.Text;
using Quoncept.Sidecar.Runner;

namespace Quoncept.Sidecar.Tests.Harness.Servers;

/// <summary>A real <c>nats-server -js</c> (Debian package nats-server) on a free 127.0.0.1 port, JetStream stored in a temporary folder.</summary>
internal sealed class NatsServer : IAsyncDisposable
{
    private readonly TempFolder _data = new();
    private readonly ServerProcess _process;

    private NatsServer()
    {
        Port = FreePort.Next();
        _process = new ServerProcess("nats-server", ServerProcess.Find("nats-server", "nats-server", "/usr/sbin"),
            ["-js", "-a", "127.0.0.1", "-p", Port.ToString(), "-sd", _data.Path]);
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public static async Task<NatsServer> StartAsync()
    {
        var server = new NatsServer();
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="Kill"/>) on the same port and store, and waits for it to greet with JetStream on.</summary>
    public async Task RestartAsync()
    {
        _process.Start();
        await _process.WaitReadyAsync(GreetsWithJetStreamAsync, TimeSpan.FromSeconds(20));
    }

    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        _process.Dispose();
        await Task.Yield();
        _data.Dispose();
    }

    private async Task<bool> GreetsWithJetStreamAsync()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var buffer = new byte[4096];
        var read = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
        return Encoding.UTF8.GetString(buffer, 0, read).Contains("\"jetstream\":true", StringComparison.Ordinal);
    }
}
