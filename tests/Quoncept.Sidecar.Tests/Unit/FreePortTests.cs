using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Quoncept.Sidecar.Runner;

namespace Quoncept.Sidecar.Tests.Unit;

public sealed class FreePortTests
{
    [Fact]
    public async Task Next_ManyCallersAtOnce_NeverTheSamePortTwice()
    {
        // Fixtures pick several ports before binding any; a port handed out twice crashes a runtime on start.
        var ports = new ConcurrentBag<int>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 150; i++)
            {
                ports.Add(FreePort.Next());
            }
        })));

        Assert.Equal(600, ports.Distinct().Count());
    }

    [Fact]
    public void Next_WhileAnotherServerBindsPortZero_NeverInTheEphemeralRange()
    {
        // Port-0 binds (Kestrel, test servers, other processes) take ephemeral ports; ours never are.
        var ephemeralStart = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
            .Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).First();

        var picked = Enumerable.Range(0, 50).Select(_ => FreePort.Next()).ToList();
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();

        Assert.DoesNotContain(((IPEndPoint)server.LocalEndpoint).Port, picked);
        Assert.All(picked, port => Assert.InRange(port, 1024, ephemeralStart - 1));
    }

    [Fact]
    public void Next_PortInUse_Skipped()
    {
        var taken = FreePort.Next();
        using var server = new TcpListener(IPAddress.Loopback, taken);
        server.Start();

        var next = FreePort.Next();

        Assert.NotEqual(taken, next);
        using var bound = new TcpListener(IPAddress.Loopback, next);
        bound.Start();
    }
}
