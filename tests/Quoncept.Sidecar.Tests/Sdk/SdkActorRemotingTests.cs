using Dapr.Actors;
using Dapr.Actors.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.Runner;

namespace Quoncept.Sidecar.Tests.Sdk;

/// <summary>
/// Dapr.Actors remoting, unmodified, through the runtime: <c>ActorProxy.Create&lt;IEchoActor&gt;</c> against the
/// caller's sidecar endpoint with a trailing slash (as the SDK's default endpoint has one, so it sends
/// <c>//v1.0/actors/...</c>), to a host app on Dapr.Actors.AspNetCore.
/// </summary>
public sealed class SdkActorRemotingTests : IAsyncLifetime
{
    private SdkActorHostApp _host = null!;
    private SidecarRuntime _runtime = null!;
    private string _resources = null!;
    private int _callerPort;

    public async Task InitializeAsync()
    {
        var hostSidecarPort = FreePort.Next();
        _callerPort = FreePort.Next();
        _host = await SdkActorHostApp.StartAsync(hostSidecarPort);
        _resources = Directory.CreateTempSubdirectory("sdk-actors-").FullName;
        await File.WriteAllTextAsync(Path.Combine(_resources, "components.yaml"), Harness.TestSidecar.InMemoryComponents);
        var specs = new[]
        {
            new AppSpec("echo-host", null, _host.Port, hostSidecarPort, null, new Dictionary<string, string>(), [_resources], null, null),
            new AppSpec("caller", null, null, _callerPort, null, new Dictionary<string, string>(), [_resources], null, null),
        };
        _runtime = await SidecarRuntime.StartAsync(new SidecarCommand(specs, LogLevel.Warning, SidecarCommand.DefaultMaxRequestBodyBytes, []),
            s => s with { HealthProbeInterval = TimeSpan.FromMilliseconds(100) });
        var hosts = _runtime.App.Services.GetRequiredService<Sidecar.Actors.Hosting.ActorHosts>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!hosts.Placement.HostsOf("EchoActor").Any())
        {
            Assert.True(DateTime.UtcNow < deadline, "the SDK host did not register EchoActor through /dapr/config within 15s");
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        await _host.DisposeAsync();
        Directory.Delete(_resources, recursive: true);
    }

    private IEchoActor Proxy(string id) =>
        ActorProxy.Create<IEchoActor>(new ActorId(id), "EchoActor", new ActorProxyOptions
        {
            HttpEndpoint = $"http://127.0.0.1:{_callerPort}/",
            RequestTimeout = TimeSpan.FromSeconds(30),
        });

    [Fact]
    public async Task RemotingCall_DoubleSlashPath_ReachesActorWithRemotingHeader()
    {
        Assert.Equal("a-1: hello", await Proxy("a-1").EchoAsync("hello"));

        var call = Assert.Single(_host.ActorCalls);
        Assert.True(call.ContainsKey("X-DaprRequestHeader"), "the remoting request header reached the host");
        Assert.StartsWith("application/octet-stream", call["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemotingCall_ActorState_SavedThroughSidecarBetweenCalls()
    {
        var actor = Proxy("counter");

        Assert.Equal(1, await actor.CountAsync());
        Assert.Equal(2, await actor.CountAsync());
    }

    [Fact]
    public async Task RemotingCall_ActorThrows_ErrorResponseHeaderComesBackAsActorMethodInvocationException()
    {
        var error = await Assert.ThrowsAsync<ActorMethodInvocationException>(() => Proxy("a-2").FailAsync("out of fuel"));

        Assert.Contains("out of fuel", error.ToString(), StringComparison.Ordinal);
    }
}
