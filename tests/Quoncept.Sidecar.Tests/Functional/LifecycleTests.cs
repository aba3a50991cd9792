using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Shutdown_SingleApp_StopsTheRuntime()
    {
        await using var sidecar = await TestSidecar.StartAsync("solo");
        var lifetime = sidecar.Runtime.App.Services.GetRequiredService<IHostApplicationLifetime>();

        var response = await sidecar.Client.PostAsync("v1.0/shutdown", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(timeout.Token);
        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task Start_InAFolderStoresWriteIn_WatchesNoFileThere()
    {
        await using var sidecar = await TestSidecar.StartAsync("quiet");
        var app = sidecar.Runtime.App;

        // The folder it is started in holds .data/ (SQLite, a profile's servers): a settings file watched there
        // would be a recursive watcher woken by every write.
        Assert.Equal(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), Path.TrimEndingDirectorySeparator(app.Environment.ContentRootPath));
        var fileSources = ((IConfigurationRoot)app.Configuration).Providers.OfType<FileConfigurationProvider>().Select(p => p.Source).ToList();
        Assert.All(fileSources, source => Assert.False(source.ReloadOnChange, $"{source.Path} is watched for changes"));
    }

    [Fact]
    public async Task Dispose_AppStillAnsweringSubscribe_StopsWithoutErrorAndReleasesServices()
    {
        await using var app = await TestApp.StartAsync();
        app.SubscribeDelay = TimeSpan.FromSeconds(30);
        var sidecar = await TestSidecar.StartWithPortsAsync([("slow", app.Port)], waitForApps: false);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (app.SubscribeAsks == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(1, app.SubscribeAsks);

        await sidecar.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Throws<ObjectDisposedException>(() => sidecar.Runtime.App.Services.GetService<IHostApplicationLifetime>());
    }

    [Fact]
    public async Task HealthCheckPath_AppAnswers503ThenOk_HealthyOnlyAfterOk()
    {
        await using var app = await TestApp.StartAsync();
        var ready = false;
        app.Responder = (r, _) => r.Path == "/healthz" && !ready ? (503, "") : (200, "");
        await using var sidecar = await TestSidecar.StartWithPortsAsync([("probed", app.Port)], waitForApps: false,
            adjust: s => s with { HealthCheckPaths = new Dictionary<string, string> { ["probed"] = "healthz" } });
        var instance = sidecar.Runtime.Apps.All[0];

        await app.WaitForAsync(r => r.Path == "/healthz", 3);
        Assert.Equal(AppHealth.Starting, instance.Health);
        ready = true;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!instance.IsHealthy && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.True(instance.IsHealthy);
        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.GetAsync("v1.0/healthz")).StatusCode);
    }

    [Fact]
    public async Task Healthz_AppHealthyThenUnhealthy_StaysReadyAsDaprdDoes()
    {
        await using var app = await TestApp.StartAsync();
        var failing = false;
        app.Responder = (r, _) => r.Path == "/healthz" && failing ? (503, "") : (200, "");
        await using var sidecar = await TestSidecar.StartWithPortsAsync([("flaky", app.Port)], waitForApps: true,
            adjust: s => s with
            {
                HealthCheckPaths = new Dictionary<string, string> { ["flaky"] = "healthz" },
                HealthProbeInterval = TimeSpan.FromMilliseconds(50),
            });
        var instance = sidecar.Runtime.Apps.All[0];
        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.GetAsync("v1.0/healthz")).StatusCode);

        failing = true;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (instance.Health != AppHealth.Unhealthy && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        // daprd's healthz is ready once its initialization ended (the app answered once) and is never taken back.
        Assert.Equal(AppHealth.Unhealthy, instance.Health);
        Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.GetAsync("v1.0/healthz")).StatusCode);
    }

    [Fact]
    public async Task DeclarativeSubscription_ScopesAndRules_OnlyScopedAppRouted()
    {
        await using var scoped = await TestApp.StartAsync();
        await using var other = await TestApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync([("billing", scoped), ("shipping", other)], extraFiles: [("subscription.yaml", """
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: invoices
            spec:
              pubsubname: pubsub
              topic: invoices
              routes:
                rules:
                  - match: event.data.amount >= 100
                    path: /large
                default: /small
            scopes:
              - billing
            """)]);

        await sidecar.PublishAsync("invoices", new { amount = 250 });
        await sidecar.PublishAsync("invoices", new { amount = 5 });

        Assert.Single(await scoped.WaitForAsync(r => r.Path == "/large", 1));
        Assert.Single(await scoped.WaitForAsync(r => r.Path == "/small", 1));
        await Task.Delay(200);
        Assert.Empty(other.Requests);
    }
}
