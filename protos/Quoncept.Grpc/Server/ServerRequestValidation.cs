using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Quoncept.Grpc;

/// <summary>HTTP-level checks every gRPC request passes before it becomes a call.</summary>
internal static class ServerRequestValidation
{
    /// <summary>
    /// Request → Request-Headers *Length-Prefixed-Message EOS, over HTTP/2 only, with
    /// content-type application/grpc[+proto]. False when an HTTP error has been written.
    /// </summary>
    public static async ValueTask<bool> AcceptAsync(HttpContext http)
    {
        if (!HttpProtocol.IsHttp2(http.Request.Protocol))
        {
            http.Response.Headers.Upgrade = "h2";
            await ServerStatusWriter.WriteHttpErrorAsync(
                http.Response, StatusCodes.Status426UpgradeRequired, StatusCode.Internal,
                $"gRPC requires HTTP/2; this request used {http.Request.Protocol}.").ConfigureAwait(false);
            return false;
        }

        if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            await ServerStatusWriter.WriteHttpErrorAsync(
                http.Response, StatusCodes.Status415UnsupportedMediaType, StatusCode.Internal,
                $"Content-Type '{http.Request.ContentType}' is not supported: gRPC calls use application/grpc (protobuf).").ConfigureAwait(false);
            return false;
        }

        // Streams may idle for a long time; message sizes are bounded per message instead.
        if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        return true;
    }
}
