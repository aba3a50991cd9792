using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.WebUtilities;
using Quoncept.Sidecar.Errors;
using GrpcStatus = Grpc.Core.Status;
using RichStatus = Google.Rpc.Status;

namespace Quoncept.Sidecar.GrpcApi;

/// <summary>
/// gRPC statuses as daprd sends them: the code and message, plus a <c>google.rpc.Status</c> in the
/// <c>grpc-status-details-bin</c> trailer holding an <c>ErrorInfo</c> (domain <c>dapr.io</c>), which the
/// .NET SDK exposes through <c>DaprException.TryGetExtendedErrorInfo</c>.
/// </summary>
internal static class GrpcErrors
{
    public const string DetailsTrailer = "grpc-status-details-bin";
    private const string Domain = "dapr.io";

    // ErrorInfo metadata values are capped at 64 characters; daprd keeps the first 63 of an app's answer.
    private const int MaxDetailLength = 63;

    public static RpcException From(DaprApiException error) =>
        Build(error.GrpcStatus, error.Message, error.GrpcReason, error.GrpcMetadata);

    /// <summary>
    /// An HTTP answer as a gRPC status, the way daprd reports an HTTP app's non-2xx answer to
    /// <c>InvokeService</c> and a refused API token (dapr/dapr pkg/messaging/v1/util.go, ErrorFromHTTPResponseCode):
    /// the mapped code, the HTTP reason phrase as message, and the status and <paramref name="detail"/> in the ErrorInfo.
    /// </summary>
    public static RpcException FromHttpStatus(int httpStatus, string detail)
    {
        var phrase = ReasonPhrases.GetReasonPhrase(httpStatus);
        if (detail.Length >= MaxDetailLength)
        {
            detail = detail[..MaxDetailLength];
        }
        return Build(CodeFromHttpStatus(httpStatus), phrase, phrase, new Dictionary<string, string>
        {
            ["http.code"] = httpStatus.ToString(CultureInfo.InvariantCulture),
            ["http.error_message"] = detail,
        });
    }

    /// <summary>daprd's CodeFromHTTPStatus: note 400 is INTERNAL and 500 UNKNOWN there.</summary>
    public static StatusCode CodeFromHttpStatus(int httpStatus) => httpStatus switch
    {
        >= 200 and < 300 => StatusCode.OK,
        408 => StatusCode.Cancelled,
        500 => StatusCode.Unknown,
        400 => StatusCode.Internal,
        504 => StatusCode.DeadlineExceeded,
        404 => StatusCode.NotFound,
        409 => StatusCode.AlreadyExists,
        403 => StatusCode.PermissionDenied,
        401 => StatusCode.Unauthenticated,
        429 => StatusCode.ResourceExhausted,
        501 => StatusCode.Unimplemented,
        503 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    private static RpcException Build(StatusCode code, string message, string reason, IReadOnlyDictionary<string, string> metadata)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        foreach (var (key, value) in metadata)
        {
            info.Metadata[key] = value;
        }
        var details = new RichStatus { Code = (int)code, Message = message };
        details.Details.Add(Any.Pack(info));
        return new RpcException(new GrpcStatus(code, message), new Metadata { { DetailsTrailer, details.ToByteArray() } });
    }
}
