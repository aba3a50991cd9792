using System.Net;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Components;

namespace Quoncept.Sidecar.Hosting;

/// <summary>
/// Builds the one ASP.NET Core host that serves the Dapr HTTP API for every app instance: one
/// Kestrel listener per instance on 127.0.0.1:{sidecarHttpPort}; a request's calling app is the
/// instance whose port it arrived on.
/// </summary>
internal static class SidecarHost
{
    public static WebApplication Build(SidecarSetup setup, Action<IServiceCollection>? configureServices = null)
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
        configureServices?.Invoke(builder.Services);
        builder.Services.AddActorRuntime();

        var app = builder.Build();
        app.UseMiddleware<DaprErrorMiddleware>();
        app.MapActorApi();
        return app;
    }
}
