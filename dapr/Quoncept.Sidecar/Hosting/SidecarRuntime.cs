using Microsoft.AspNetCore.Connections;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.PubSub;
using Quoncept.Sidecar.Runner;
using Quoncept.Sidecar.Tracing;

namespace Quoncept.Sidecar.Hosting;

/// <summary>
/// A started runtime: loads configuration and components, assigns each app instance its sidecar port
/// and app channel, and serves the API until stopped. Program.cs and the tests start it the same way.
/// </summary>
internal sealed class SidecarRuntime : IAsyncDisposable
{
    private SidecarRuntime(WebApplication app, SidecarSetup setup)
    {
        App = app;
        Setup = setup;
    }

    /// <summary>How many times a bind is tried when another process takes a port the runtime chose.</summary>
    private const int BindAttempts = 3;

    public WebApplication App { get; }

    public SidecarSetup Setup { get; }

    public AppRegistry Apps => Setup.Apps;

    public SubscriptionManager Subscriptions => App.Services.GetRequiredService<SubscriptionManager>();

    /// <summary>Builds and starts the runtime; <paramref name="adjust"/> lets tests shorten delays.</summary>
    public static async Task<SidecarRuntime> StartAsync(SidecarCommand command, Func<SidecarSetup, SidecarSetup>? adjust = null, TimeProvider? time = null,
        Func<int>? nextFreePort = null)
    {
        using var bootLogs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(command.LogLevel));
        var logger = bootLogs.CreateLogger("runtime");
        foreach (var warning in command.Warnings)
        {
            logger.LogWarning("{Warning}", warning);
        }
        time ??= TimeProvider.System;
        var resources = ResourceLoader.Load(command.ResourcesPaths, logger);
        var configFiles = command.ConfigFiles.ToList();
        var tracing = ConfigurationLoader.Load(configFiles.FirstOrDefault()) with
        {
            ExportOtlp = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TracingOptions.OtlpEndpointVariable)),
        };
        var components = ComponentFactory.Build(resources.Components, new ComponentContext(time, bootLogs));
        try
        {
            var appApiToken = ApiToken.AppTokenFromEnvironment();
            var (setup, app) = await BindAsync(command, components, resources.Subscriptions, tracing, time, appApiToken, adjust, nextFreePort ?? FreePort.Next, logger);
            foreach (var instance in setup.Apps.All)
            {
                logger.LogInformation("sidecar for {Instance}: HTTP API on http://127.0.0.1:{Port}, gRPC API on http://127.0.0.1:{GrpcPort}",
                    instance.InstanceId, instance.SidecarHttpPort, instance.SidecarGrpcPort);
            }
            foreach (var metricsPort in command.Apps.Select(s => s.MetricsPort).OfType<int>().Distinct())
            {
                logger.LogInformation("metrics (Prometheus) on http://127.0.0.1:{Port}/metrics", metricsPort);
            }
            if (setup.ApiToken is not null)
            {
                logger.LogInformation("API token authentication is on (DAPR_API_TOKEN): calls must carry dapr-api-token");
            }
            if (appApiToken is not null)
            {
                logger.LogInformation("app API token is set (APP_API_TOKEN): calls into apps carry it in dapr-api-token");
            }
            return new SidecarRuntime(app, setup);
        }
        catch
        {
            await components.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Assigns every instance its sidecar ports and starts the API servers on them. A port the runtime chose itself
    /// can be taken by another process between the choice and the bind (parallel test runs, other runtimes), so a
    /// bind that fails while any port was the runtime's own choice is tried again on fresh ports, up to
    /// <see cref="BindAttempts"/> times; ports the user named are never replaced.
    /// </summary>
    private static async Task<(SidecarSetup Setup, WebApplication App)> BindAsync(SidecarCommand command, ComponentRegistry components,
        IReadOnlyList<SubscriptionSpec> subscriptions, TracingOptions tracing, TimeProvider time, string? appApiToken, Func<SidecarSetup, SidecarSetup>? adjust, Func<int> nextFreePort, ILogger logger)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (setup, specs, choseAny) = Assign(command, components, subscriptions, tracing, time, appApiToken, nextFreePort);
            setup = adjust?.Invoke(setup) ?? setup;
            var app = SidecarHost.Build(setup, specs);
            try
            {
                await app.StartAsync();
                return (setup, app);
            }
            catch (IOException error)
            {
                await app.DisposeAsync();
                foreach (var instance in setup.Apps.All)
                {
                    instance.Channel?.Dispose();
                }
                var ports = string.Join(", ", setup.Apps.All.Select(i => $"{i.InstanceId} http {i.SidecarHttpPort} grpc {i.SidecarGrpcPort}"));
                if (choseAny && attempt < BindAttempts && error.InnerException is AddressInUseException)
                {
                    logger.LogWarning("{Message} (sidecar ports: {Ports}): another process took a port after the runtime chose it; choosing others", error.Message, ports);
                    continue;
                }
                throw new IOException($"{error.Message} (sidecar ports: {ports}; choose others with --dapr-http-port / --dapr-grpc-port, " +
                    "or daprHTTPPort / daprGRPCPort in the run file; --dapr-grpc-port 0 takes any free port)", error);
            }
        }
    }

    private static (SidecarSetup Setup, Dictionary<string, AppSpec> Specs, bool ChoseAny) Assign(SidecarCommand command, ComponentRegistry components,
        IReadOnlyList<SubscriptionSpec> subscriptions, TracingOptions tracing, TimeProvider time, string? appApiToken, Func<int> nextFreePort)
    {
        var instances = new List<AppInstance>();
        var specs = new Dictionary<string, AppSpec>(StringComparer.Ordinal);
        var uuids = new Dictionary<string, string>(StringComparer.Ordinal);
        var healthPaths = new Dictionary<string, string>(StringComparer.Ordinal);
        var replicaCounts = command.Apps.GroupBy(a => a.AppId).ToDictionary(g => g.Key, g => g.Count());
        var replicaIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var choseAny = false;
        // Ports the run file names for apps and metrics are not bound yet when sidecar ports are chosen.
        var named = command.Apps.SelectMany(a => new[] { a.AppPort, a.MetricsPort, a.SidecarHttpPort, a.SidecarGrpcPort }).OfType<int>().ToHashSet();
        int Choose()
        {
            int port;
            do
            {
                port = nextFreePort();
            }
            while (named.Contains(port));
            return port;
        }
        foreach (var spec in command.Apps)
        {
            var index = replicaIndex[spec.AppId] = replicaIndex.GetValueOrDefault(spec.AppId) + 1;
            var instanceId = replicaCounts[spec.AppId] > 1 ? $"{spec.AppId}-{index}" : spec.AppId;
            choseAny |= spec.SidecarHttpPort is null || spec.SidecarGrpcPort is not > 0;
            var sidecarPort = spec.SidecarHttpPort ?? Choose();
            var grpcPort = spec.SidecarGrpcPort is { } chosen && chosen > 0 ? chosen : Choose();
            var channel = spec.AppPort is { } appPort ? AppChannel.Create(appPort, Timeout.InfiniteTimeSpan, appApiToken) : null;
            instances.Add(new AppInstance(spec.AppId, instanceId, sidecarPort, grpcPort, spec.AppPort, channel));
            specs[instanceId] = spec;
            uuids[instanceId] = Guid.NewGuid().ToString();
            if (spec.HealthCheckPath is { } healthPath)
            {
                healthPaths[instanceId] = healthPath.TrimStart('/');
            }
        }
        var setup = new SidecarSetup(new AppRegistry(instances), components, subscriptions, tracing, time, command.LogLevel, command.MaxRequestBodyBytes)
        {
            InstanceUuids = uuids,
            HealthCheckPaths = healthPaths,
            ApiToken = ApiToken.FromEnvironment(),
            Restarts = command.Restarts,
        };
        return (setup, specs, choseAny);
    }

    // A service that fails to stop must not leave the rest running: the host's services (tracing's listeners are
    // process-wide), the components' connections and the app channels are released whatever StopAsync throws.
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await App.StopAsync(timeout.Token);
        }
        finally
        {
            await App.DisposeAsync();
            await Setup.Components.DisposeAsync();
            foreach (var instance in Setup.Apps.All)
            {
                instance.Channel?.Dispose();
            }
        }
    }
}
