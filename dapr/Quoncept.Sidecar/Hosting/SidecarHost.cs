using System.Net;
using Quoncept.Sidecar.Api;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.PubSub;
using Quoncept.Sidecar.Runner;
using Quoncept.Sidecar.Tracing;

namespace Quoncept.Sidecar.Hosting;

/// <summary>
/// Builds the one ASP.NET Core host that serves the Dapr HTTP API for every app instance: one
/// Kestrel listener per instance on 127.0.0.1:{sidecarHttpPort}; a request's calling app is the
/// instance whose port it arrived on.
/// </summary>
internal static class SidecarHost
{
    public static WebApplication Build(SidecarSetup setup, IReadOnlyDictionary<string, AppSpec> specsByInstance)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.SetMinimumLevel(setup.LogLevel);
        builder.Logging.AddFilter("Microsoft", setup.LogLevel > LogLevel.Warning ? setup.LogLevel : LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = setup.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
            foreach (var instance in setup.Apps.All)
            {
                kestrel.Listen(IPAddress.Loopback, instance.SidecarHttpPort);
            }
        });
        builder.Services.AddSingleton(setup);
        builder.Services.AddSingleton(setup.Apps);
        builder.Services.AddSingleton(setup.Components);
        builder.Services.AddSingleton(setup.Time);
        builder.Services.AddSingleton(setup.Tracing);
        builder.Services.AddSingleton(specsByInstance);
        builder.Services.AddHostedService<ZipkinExporter>();
        builder.Services.AddSingleton<AppSupervisor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AppSupervisor>());
        builder.Services.AddHostedService<AppMonitor>();
        builder.Services.AddSingleton<SubscriptionManager>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SubscriptionManager>());
        builder.Services.AddActorRuntime();

        var app = builder.Build();
        app.UseMiddleware<TracingMiddleware>();
        app.UseMiddleware<DaprErrorMiddleware>();
        app.UseAppIdHeaderInvocation();
        app.MapStateApi();
        app.MapPubSubApi();
        app.MapInvokeApi();
        app.MapMetadataApi();
        app.MapHealthApi();
        app.MapActorApi();
        app.MapFallback((HttpContext context) => throw DaprErrors.NotFound(context.Request.Path.Value ?? "/"));
        return app;
    }
}
