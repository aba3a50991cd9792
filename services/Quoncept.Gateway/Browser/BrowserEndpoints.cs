using Microsoft.Extensions.Options;
using Quoncept.ServiceDefaults.Options;

namespace Quoncept.Gateway.Browser;

/// <summary>
/// The browser transport on the web port (HTTP/1.1, GatewayEndpoints): the WebSocket at
/// <see cref="BrowserSocket.Path"/>, the unary calls of quoncept.v1.Gateway as gRPC-Web
/// (Grpc.AspNetCore.Web, enabled on the service in Program.cs), and the page.
/// </summary>
internal static class BrowserEndpoints
{
    public static IServiceCollection AddBrowser(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BrowserOptions>().Bind(configuration.GetSection(BrowserOptions.Section)).Check(o => o.Problem()).ValidateOnStart();
        // Read when the pipeline is built, after the settings were checked (reading them here would skip the one-line error).
        services.AddOptions<WebSocketOptions>().Configure<IOptions<BrowserOptions>>((sockets, browser) =>
        {
            sockets.KeepAliveInterval = browser.Value.KeepAliveInterval;
            sockets.KeepAliveTimeout = browser.Value.KeepAliveTimeout;
        });
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<BrowserSocket>();
        return services;
    }

    public static WebApplication MapBrowser(this WebApplication app)
    {
        app.UseWebSockets();
        app.UseGrpcWeb();
        // A WebRoot without a prepared page is not mapped: the settings check stops the start with one line saying so.
        if (app.Configuration[BrowserOptions.Section + ":WebRoot"] is { Length: > 0 } root && WebPage.Missing(root) is null) WebPage.Map(app, root);
        app.Map(BrowserSocket.Path, (HttpContext context, BrowserSocket socket) => socket.RunAsync(context));
        return app;
    }
}
