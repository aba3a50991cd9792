using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.Tracing;

namespace Quoncept.Sidecar.GrpcApi;

/// <summary>
/// Runs around every call on the gRPC ports, as daprd's interceptors do: checks the
/// <c>dapr-api-token</c> metadata when the runtime has <c>DAPR_API_TOKEN</c> (and takes it out of the
/// metadata, so it never reaches an invoked app), continues a trace given only as <c>grpc-trace-bin</c>,
/// and turns the runtime's errors into daprd's gRPC statuses. An unexpected failure is logged and
/// answered INTERNAL; the runtime keeps serving.
/// </summary>
internal sealed class DaprGrpcInterceptor(SidecarSetup setup, ILogger<DaprGrpcInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        using var span = ContinueBinaryTrace(context);
        try
        {
            return await continuation(request, context);
        }
        catch (DaprApiException error)
        {
            throw GrpcErrors.From(error);
        }
        catch (Exception error) when (error is not RpcException and not OperationCanceledException)
        {
            logger.LogError(error, "unexpected failure serving {Method}", context.Method);
            throw new RpcException(new Status(StatusCode.Internal, $"internal error: {error.Message}"));
        }
    }

    // Server reflection is the one streaming service here; daprd guards it with the token too.
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    /// <summary>daprd's checkAPITokenInContext: UNAUTHENTICATED "Unauthorized" with the reason in the ErrorInfo.</summary>
    private void Authenticate(ServerCallContext context)
    {
        if (setup.ApiToken is not { Length: > 0 } token)
        {
            return;
        }
        var headers = context.GetHttpContext().Request.Headers;
        var given = headers[ApiToken.Header];
        if (given.Count == 0)
        {
            throw GrpcErrors.FromHttpStatus(StatusCodes.Status401Unauthorized, "missing api token in request metadata");
        }
        if (!ApiToken.Matches(given[0], token))
        {
            throw GrpcErrors.FromHttpStatus(StatusCodes.Status401Unauthorized, "authentication error: api token mismatch");
        }
        headers.Remove(ApiToken.Header);
    }

    /// <summary>
    /// A caller that sends <c>traceparent</c> is already the parent of the request's span; one that sends
    /// only <c>grpc-trace-bin</c> gets a server span under that context, so publishes and invocations continue its trace.
    /// </summary>
    private static Activity? ContinueBinaryTrace(ServerCallContext context)
    {
        var headers = context.GetHttpContext().Request.Headers;
        if (headers.ContainsKey("traceparent") || context.RequestHeaders.GetValueBytes(GrpcTraceBin.Header) is not { } binary
            || !GrpcTraceBin.TryParse(binary, out var parent))
        {
            return null;
        }
        return SidecarTracing.Source.StartActivity(context.Method, ActivityKind.Server, parent);
    }
}
