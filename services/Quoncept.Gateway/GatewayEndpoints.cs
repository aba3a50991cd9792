using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Quoncept.Gateway;

/// <summary>
/// Kestrel's listeners. Cleartext HTTP/2 (h2c with prior knowledge) and HTTP/1.1 cannot share a
/// cleartext port, so the gateway has up to three: the client gRPC port (HTTP/2 only) on
/// 127.0.0.1:<see cref="PortKey"/> when set, else on --urls / ASPNETCORE_URLS, else 5080; the
/// web port for browsers (HTTP/1.1: WebSocket, gRPC-Web, the page) on 127.0.0.1:<see cref="WebPortKey"/>
/// when set; and the Dapr app channel on APP_PORT (HTTP/1.1), where the sidecar delivers pub/sub
/// messages and readiness is probed.
/// </summary>
internal static class GatewayEndpoints
{
    /// <summary>Env Quoncept__Gateway__Port: what ./run.sh --gateway-port sets.</summary>
    public const string PortKey = "Quoncept:Gateway:Port";

    /// <summary>Env Quoncept__Gateway__WebPort: what ./run.sh --web-port sets. Browsers cannot speak h2c, so they get a port of their own.</summary>
    public const string WebPortKey = "Quoncept:Gateway:WebPort";

    public static WebApplicationBuilder ListenForClientsAndSidecar(this WebApplicationBuilder builder)
    {
        var urls = (builder.Configuration[PortKey] is { Length: > 0 } clientPort ? $"http://127.0.0.1:{clientPort}" : builder.Configuration["urls"] ?? "http://127.0.0.1:5080")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var clientEndpoints = urls.Select(ParseEndpoint).ToList();
        var appPort = OptionalPort(builder.Configuration, "APP_PORT");
        var webPort = OptionalPort(builder.Configuration, WebPortKey);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var endpoint in clientEndpoints)
            {
                kestrel.Listen(endpoint, o => o.Protocols = HttpProtocols.Http2);
            }
            // The sidecar calls apps over HTTP/1.1 (app-protocol http); cleartext HTTP/2 here would only draw a Kestrel warning.
            if (appPort is { } p) kestrel.Listen(IPAddress.Loopback, p, o => o.Protocols = HttpProtocols.Http1);
            // Browsers open WebSockets over HTTP/1.1, and speak HTTP/2 only over TLS.
            if (webPort is { } w) kestrel.Listen(IPAddress.Loopback, w, o => o.Protocols = HttpProtocols.Http1);
        });
        return builder;
    }

    private static int? OptionalPort(IConfiguration configuration, string key) => configuration[key] is { Length: > 0 } text
        ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"{key} must be a port number 1..65535, got '{text}'.")
        : null;

    /// <summary>"http://host:port" with host an IP address, localhost, or * / + / [::] for every interface.</summary>
    private static IPEndPoint ParseEndpoint(string url)
    {
        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"gateway url '{url}': only http:// (h2c) endpoints are served; put TLS in front if needed.");
        }
        var hostPort = url["http://".Length..].TrimEnd('/');
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 0 or > 65535)
        {
            throw new InvalidOperationException($"gateway url '{url}' must be http://host:port.");
        }
        var host = hostPort[..colon];
        var address = host switch
        {
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            "[::]" => IPAddress.IPv6Any,
            "localhost" => IPAddress.Loopback,
            _ when IPAddress.TryParse(host.Trim('[', ']'), out var ip) => ip,
            _ => throw new InvalidOperationException($"gateway url '{url}': the host must be an IP address or localhost."),
        };
        return new IPEndPoint(address, port);
    }
}
