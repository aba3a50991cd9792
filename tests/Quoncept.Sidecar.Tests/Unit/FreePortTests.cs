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

    [Fact]
    public void ClaimBlock_ConsecutiveClaims_NextBlockEachTime()
    {
        using var sequence = new SequenceFile();

        var starts = Enumerable.Range(0, 3).Select(_ => FreePort.ClaimBlock(sequence.Path, 20_000, 29_999)).ToList();

        Assert.Equal([20_000, 20_000 + FreePort.BlockSize, 20_000 + 2 * FreePort.BlockSize], starts);
    }

    [Fact]
    public void ClaimBlock_LastBlockClaimed_StartsOverAtTheFirst()
    {
        using var sequence = new SequenceFile();
        var last = 20_000 + 3 * FreePort.BlockSize - 1;

        var starts = Enumerable.Range(0, 4).Select(_ => FreePort.ClaimBlock(sequence.Path, 20_000, last)).ToList();

        Assert.Equal([20_000, 20_000 + FreePort.BlockSize, 20_000 + 2 * FreePort.BlockSize, 20_000], starts);
    }

    [Fact]
    public void ClaimBlock_FileHoldsGarbage_StartsAtTheFirstBlock()
    {
        using var sequence = new SequenceFile();
        File.WriteAllText(sequence.Path, "not a port\n");

        Assert.Equal(20_000, FreePort.ClaimBlock(sequence.Path, 20_000, 29_999));
        Assert.Equal(20_000 + FreePort.BlockSize, FreePort.ClaimBlock(sequence.Path, 20_000, 29_999));
    }

    [Fact]
    public async Task ClaimBlock_ManyClaimersAtOnce_NeverTheSameBlockTwice()
    {
        // Each claimer opens the file itself, as another process would: the file lock is what keeps them apart.
        using var sequence = new SequenceFile();
        var starts = new ConcurrentBag<int>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 25; i++)
            {
                starts.Add(FreePort.ClaimBlock(sequence.Path, 10_000, 10_000 + 1000 * FreePort.BlockSize - 1));
            }
        })));

        Assert.Equal(200, starts.Distinct().Count());
        Assert.All(starts, start => Assert.Equal(0, (start - 10_000) % FreePort.BlockSize));
    }

    [Fact]
    public async Task ClaimBlock_AnotherProcessMidClaim_WaitsAndTakesTheBlockAfterIts()
    {
        using var sequence = new SequenceFile();
        File.WriteAllText(sequence.Path, "20128");
        var holder = new FileStream(sequence.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        holder.SetLength(0);
        holder.Write("20192"u8);

        var claim = Task.Run(() => FreePort.ClaimBlock(sequence.Path, 20_000, 29_999));
        await Task.Delay(200);
        Assert.False(claim.IsCompleted);
        await holder.DisposeAsync();

        Assert.Equal(20_192, await claim.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private sealed class SequenceFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"quoncept-free-ports-test-{Guid.NewGuid():N}");

        public void Dispose() => File.Delete(Path);
    }
}
