using Grpc.Health.V1;

namespace Quoncept.Grpc.Tests.Functional;

public sealed class ShutdownTests
{
    [Fact]
    public async Task HostStopping_OpenWatchStream_EndsWithUnavailable()
    {
        var host = await GrpcTestHost.StartAsync();
        using var channel = GrpcChannel.ForAddress(host.Address);
        using var call = channel.AsyncServerStreamingCall(TestMethods.HealthWatch, new HealthCheckRequest(), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var stopping = host.DisposeAsync().AsTask();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        await stopping;
    }
}
