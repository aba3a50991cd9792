namespace Quoncept.Sidecar.Errors;

/// <summary>
/// An error of the Dapr API, carrying both answers daprd gives for it: the HTTP status with
/// <c>{"errorCode","message"}</c>, and the gRPC status code with an <c>ErrorInfo</c> whose reason is
/// <see cref="GrpcReason"/> (daprd's <c>DAPR_*</c> reason where it has one, else the error code).
/// Thrown anywhere below an endpoint or a gRPC method; <see cref="DaprErrorWriter"/> and the gRPC
/// interceptor turn it into the response. Error codes: https://docs.dapr.io/reference/api/error_codes/
/// </summary>
internal class DaprApiException(int statusCode, string errorCode, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;

    public string ErrorCode { get; } = errorCode;

    /// <summary>The gRPC code daprd answers with; by default the usual match of <see cref="StatusCode"/>.</summary>
    public Grpc.Core.StatusCode GrpcStatus { get; init; } = GrpcStatusFor(statusCode);

    public string GrpcReason { get; init; } = errorCode;

    /// <summary>Extra <c>ErrorInfo</c> metadata (daprd adds e.g. the HTTP status of an app's answer).</summary>
    public IReadOnlyDictionary<string, string> GrpcMetadata { get; init; } = new Dictionary<string, string>();

    internal static Grpc.Core.StatusCode GrpcStatusFor(int httpStatus) => httpStatus switch
    {
        400 => Grpc.Core.StatusCode.InvalidArgument,
        401 => Grpc.Core.StatusCode.Unauthenticated,
        403 => Grpc.Core.StatusCode.PermissionDenied,
        404 => Grpc.Core.StatusCode.NotFound,
        409 => Grpc.Core.StatusCode.Aborted,
        413 or 429 => Grpc.Core.StatusCode.ResourceExhausted,
        501 => Grpc.Core.StatusCode.Unimplemented,
        503 => Grpc.Core.StatusCode.Unavailable,
        504 => Grpc.Core.StatusCode.DeadlineExceeded,
        _ => Grpc.Core.StatusCode.Internal,
    };
}
