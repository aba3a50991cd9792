using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Quoncept.Grpc;

/// <summary>Answers gRPC calls to services or methods nobody mapped: UNIMPLEMENTED, Trailers-Only.</summary>
internal sealed class UnimplementedHandler
{
    private readonly GrpcServiceRegistry _registry;
    private readonly GrpcServiceOptions _options;

    public UnimplementedHandler(GrpcServiceRegistry registry, GrpcServiceOptions options)
    {
        _registry = registry;
        _options = options;
    }

    public async Task HandleAsync(HttpContext http)
    {
        if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!await ServerRequestValidation.AcceptAsync(http).ConfigureAwait(false))
        {
            return;
        }

        var service = http.GetRouteValue("unimplementedService") as string ?? "";
        var method = http.GetRouteValue("unimplementedMethod") as string ?? "";
        var detail = _registry.IsMapped(service)
            ? $"Method '{method}' is not part of service '{service}'."
            : $"Service '{service}' is not served here.";
        using var call = new HttpServerCallContext(http, _options, $"/{service}/{method}");
        ServerStatusWriter.WriteStatus(call, new Status(StatusCode.Unimplemented, detail));
    }
}
