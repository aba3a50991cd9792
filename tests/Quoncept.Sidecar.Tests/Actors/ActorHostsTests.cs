using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Tests.Actors;

public sealed class ActorHostsTests
{
    private const string ActorType = "counter";

    [Fact]
    public async Task Register_HealthFlipsWhileTheHostJoins_PlacedExactlyWhenLiveAndHealthy()
    {
        // A host that turns unhealthy (a refused connection) while it is being placed, and maybe healthy again at once, must
        // end up placed and live if it is healthy, neither if not. Placed but not live sent every call round the invoker's
        // loop without waiting, until it gave up with "kept moving between hosts".
        var disagreements = new List<string>();
        for (var round = 0; round < 20000 && disagreements.Count == 0; round++)
        {
            var (apps, instance) = OneActorApp();
            var hosts = new ActorHosts(apps, NullLogger<ActorHosts>.Instance);
            hosts.Start();
            var delay = 400 + round % 600;
            var leave = Task.Run(() =>
            {
                Thread.SpinWait(delay);
                apps.SetHealth(instance, AppHealth.Unhealthy);
                if (round % 2 == 1)
                {
                    apps.SetHealth(instance, AppHealth.Healthy); // back at once: this join must not be lost behind the one under way
                }
            });
            apps.SetHealth(instance, AppHealth.Healthy);
            await leave;
            await hosts.RegisterAsync(instance);
            var placed = hosts.Placement.IsTypeHosted(ActorType);
            var live = hosts.Find(instance.InstanceId) is not null;
            if (placed != live || live != instance.IsHealthy)
            {
                disagreements.Add($"round {round}: placed {placed}, live {live}, health {instance.Health}");
            }
            hosts.Stop();
        }
        Assert.Empty(disagreements);
    }

    [Fact]
    public async Task Leave_ArrivesAfterTheHostIsHealthyAgain_HostStaysPlaced()
    {
        // Two threads set the health (a refused call, a probe): the unhealthy one's event may reach the hosts after the
        // healthy one's join found the host still placed and left it be. That late leave must not unplace a healthy host.
        var (apps, instance) = OneActorApp();
        var leaveSeen = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        apps.AppUnavailable += _ => { leaveSeen.TrySetResult(); release.Task.Wait(); }; // an earlier, slow subscriber
        var hosts = new ActorHosts(apps, NullLogger<ActorHosts>.Instance);
        hosts.Start();
        apps.SetHealth(instance, AppHealth.Healthy);
        await hosts.RegisterAsync(instance);
        Assert.True(hosts.Placement.IsTypeHosted(ActorType));

        var leaving = Task.Run(() => apps.SetHealth(instance, AppHealth.Unhealthy));
        await leaveSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        apps.SetHealth(instance, AppHealth.Healthy);
        await hosts.RegisterAsync(instance);
        release.SetResult();
        await leaving.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(instance.IsHealthy);
        Assert.True(hosts.Placement.IsTypeHosted(ActorType));
        Assert.NotNull(hosts.Locate(ActorType, "a1"));
    }

    private static (AppRegistry Apps, AppInstance Instance) OneActorApp(Task? configReady = null)
    {
        var channel = new HttpClient(new ConfigHandler(configReady ?? Task.CompletedTask)) { BaseAddress = new Uri("http://127.0.0.1:1/") };
        var instance = new AppInstance("counter-app", "counter-app", 1, 2, 1, channel);
        return (new AppRegistry([instance]), instance);
    }

    private sealed class ConfigHandler(Task ready) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await ready.WaitAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($"{{\"entities\":[\"{ActorType}\"]}}", Encoding.UTF8, "application/json"),
            };
        }
    }
}
