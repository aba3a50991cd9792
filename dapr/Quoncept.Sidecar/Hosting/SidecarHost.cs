using System.Net;
using Grpc.AspNetCore.Server.Model;
using Grpc.Reflection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quoncept.Sidecar.Api;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.GrpcApi;
using Quoncept.Sidecar.Metrics;
using Quoncept.Sidecar.PubSub;
using Quoncept.Sidecar.Runner;
using Quoncept.Sidecar.Tracing;
using DaprService = Dapr.Client.Autogen.Grpc.v1.Dapr;
using ReflectionV1 = Grpc.Reflection.V1.ServerReflection;
using ReflectionV1Alpha = Grpc.Reflection.V1Alpha.ServerReflection;

namespace Quoncept.Sidecar.Hosting;

/// <summary>
/// Builds the one ASP.NET Core host that serves the Dapr APIs for every app instance: per instance, the
/// HTTP API on 127.0.0.1:{sidecarHttpPort} and the gRPC API (HTTP/2 only, with server reflection as daprd
/// has it) on 127.0.0.1:{sidecarGrpcPort}. A request's calling app is the instance whose port it arrived on.
/// </summary>
internal static class SidecarHost
{
    public static WebApplication Build(SidecarSetup setup, IReadOnlyDictionary<string, AppSpec> specsByInstance)
    {
        // The runtime reads no settings file. Left to the defaults, its content root would be the folder it is
        // started in, where the state store, the servers of a profile and the apps write (.data/), and the
        // settings reload would watch that whole tree: every SQLite or Redis AOF write would wake a watcher here.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.SetMinimumLevel(setup.LogLevel);
        builder.Logging.AddFilter("Microsoft", setup.LogLevel > LogLevel.Warning ? setup.LogLevel : LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", setup.LogLevel > LogLevel.Warning ? setup.LogLevel : LogLevel.Warning);
        var metricsPorts = specsByInstance.Values.Select(s => s.MetricsPort).OfType<int>().Distinct().ToList();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var port in metricsPorts)
            {
                kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
            }
            kestrel.Limits.MaxRequestBodySize = setup.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
            foreach (var instance in setup.Apps.All)
            {
                kestrel.Listen(IPAddress.Loopback, instance.SidecarHttpPort);
                kestrel.Listen(IPAddress.Loopback, instance.SidecarGrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });
        AddServices(builder.Services, setup, specsByInstance);
        builder.Services.AddSidecarMetrics(metricsPorts, ServiceName(setup));

        var app = builder.Build();
        app.UseSidecarMetrics(metricsPorts);
        app.UseMiddleware<ResponseTraceparentMiddleware>();
        app.UseMiddleware<DaprErrorMiddleware>();
        app.UseMiddleware<PathCleaningMiddleware>();
        app.UseMiddleware<ApiTokenMiddleware>();
        app.UseAppIdHeaderInvocation();
        app.UseRouting();
        app.UseMiddleware<EndpointPortGate>();
        app.MapStateApi();
        app.MapPubSubApi();
        app.MapInvokeApi();
        app.MapMetadataApi();
        app.MapHealthApi();
        app.MapActorApi();
        app.MapGrpcService<DaprGrpcApi>();
        app.MapGrpcService<ReflectionV1ServiceImpl>();
        app.MapGrpcService<ReflectionServiceImpl>();
        // Every path, dotted ones included (MapFallback's default pattern skips paths that look like file names).
        app.MapFallback("{**path}", (HttpContext context) => throw DaprErrors.NotFound(context.Request.Path.Value ?? "/"));
        return app;
    }

    /// <summary>The app id when the runtime fronts one app (daprd's case), else one name for the whole runtime.</summary>
    private static string ServiceName(SidecarSetup setup) => setup.Apps.AppIds.Count() == 1 ? setup.Apps.AppIds.First() : "quoncept-sidecar";

    private static void AddServices(IServiceCollection services, SidecarSetup setup, IReadOnlyDictionary<string, AppSpec> specsByInstance)
    {
        services.AddSingleton(setup);
        services.AddSingleton(setup.Apps);
        services.AddSingleton(setup.Components);
        services.AddSingleton(setup.Time);
        services.AddSingleton(setup.Tracing);
        services.AddSingleton(specsByInstance);
        services.AddSidecarTracing(setup.Tracing, setup.Apps, ServiceName(setup));
        services.AddSingleton<AppSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<AppSupervisor>());
        services.AddHostedService<AppMonitor>();
        services.AddSingleton<SubscriptionManager>();
        services.AddHostedService(sp => sp.GetRequiredService<SubscriptionManager>());
        services.AddSingleton<StateService>();
        services.AddSingleton<PublishService>();
        services.AddSingleton<AppInvoker>();
        services.AddSingleton<MetadataService>();
        services.AddActorRuntime();

        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<DaprGrpcInterceptor>();
            grpc.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, setup.MaxRequestBodyBytes);
            grpc.IgnoreUnknownServices = true;
        });
        services.AddSingleton<DaprGrpcInterceptor>();
        services.AddSingleton<DaprGrpcApi>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<DaprGrpcApi>, DaprGrpcMethods>());
        // The .NET SDK asks the server's reflection which Dapr methods exist (BulkPublishEvent or its Alpha1), as daprd answers it.
        var described = new[] { DaprService.Descriptor, ReflectionV1.Descriptor, ReflectionV1Alpha.Descriptor };
        services.AddSingleton(new ReflectionV1ServiceImpl(described));
        services.AddSingleton(new ReflectionServiceImpl(described));
    }
}
