using Grpc.AspNetCore.Server;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Errors;

namespace Quoncept.Sidecar.Hosting;

/// <summary>
/// Keeps the two APIs on their own ports, as daprd's separate servers do: on a gRPC port only the bound
/// gRPC methods answer (a gRPC call to anything else is UNIMPLEMENTED, a non-gRPC request 415 naming the
/// HTTP port); on an HTTP port a gRPC method is not part of the HTTP API (404). Runs after routing.
/// </summary>
internal sealed class EndpointPortGate(RequestDelegate next, AppRegistry apps)
{
    private const int Unimplemented = 12;

    public Task InvokeAsync(HttpContext context)
    {
        var isGrpcEndpoint = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;
        var port = context.Connection.LocalPort;
        if (!apps.IsGrpcPort(port))
        {
            return isGrpcEndpoint ? throw DaprErrors.NotFound(context.Request.Path.Value ?? "/") : next(context);
        }
        if (isGrpcEndpoint)
        {
            return next(context);
        }
        var httpPort = apps.FindBySidecarPort(port)?.SidecarHttpPort;
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(
                $"port {port} serves Dapr's gRPC API (content-type application/grpc); the Dapr HTTP API of this app is on port {httpPort}\n",
                context.RequestAborted);
        }
        // A trailers-only gRPC answer: the status travels in the response headers.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = Unimplemented.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString($"unknown method {context.Request.Path.Value}: this runtime serves a part of dapr.proto.runtime.v1.Dapr");
        return Task.CompletedTask;
    }
}
