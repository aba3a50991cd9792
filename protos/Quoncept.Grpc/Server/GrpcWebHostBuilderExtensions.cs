using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Quoncept.Grpc;

public static class GrpcWebHostBuilderExtensions
{
    /// <summary>
    /// Makes every Kestrel endpoint HTTP/2-only: h2c with prior knowledge on http:// (Kestrel's
    /// default Http1AndHttp2 silently falls back to HTTP/1.1 without TLS) and ALPN h2 on https://.
    /// Endpoints configured explicitly afterwards can still choose other protocols.
    /// </summary>
    public static IWebHostBuilder UseGrpcEndpointDefaults(this IWebHostBuilder builder) =>
        builder.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
}
