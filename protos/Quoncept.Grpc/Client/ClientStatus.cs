using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Quoncept.Grpc;

/// <summary>The one place on the client where HTTP answers, trailers and exceptions become a Status.</summary>
internal static class ClientStatus
{
    /// <summary>
    /// A status carried by the response headers: Trailers-Only, or a non-gRPC HTTP answer mapped
    /// as PROTOCOL-HTTP2.md's "HTTP to gRPC Status Code Mapping" says. Null: messages follow.
    /// </summary>
    public static Status? FromResponseHeaders(HttpResponseMessage response)
    {
        var headerStatus = Parse(response.Headers);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return headerStatus ?? new Status(
                response.StatusCode switch
                {
                    HttpStatusCode.BadRequest => StatusCode.Internal,
                    HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
                    HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
                    HttpStatusCode.NotFound => StatusCode.Unimplemented,
                    HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
                    _ => StatusCode.Unknown,
                },
                $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}");
        }

        if (headerStatus is not null)
        {
            return headerStatus;
        }

        var contentType = response.Content.Headers.TryGetValues("Content-Type", out var values) ? values.FirstOrDefault() : null;
        return GrpcProtocol.IsGrpcContentType(contentType)
            ? null
            : new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType ?? "(none)"}");
    }

    public static Status? Parse(HttpHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues(GrpcProtocol.StatusHeader, out var codes))
        {
            return null;
        }

        var detail = headers.NonValidated.TryGetValues(GrpcProtocol.MessageHeader, out var messages)
            ? StatusMessageEncoding.Decode(messages.ToString())
            : "";
        return int.TryParse(codes.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? new Status((StatusCode)code, detail)
            : new Status(StatusCode.Unknown, $"Invalid grpc-status '{codes}'. {detail}".TrimEnd());
    }

    /// <summary>A failure of the transport or of the call's own checks, as a status.</summary>
    public static Status FromException(Exception exception) =>
        exception switch
        {
            RpcException rpc => rpc.Status,
            OperationCanceledException => new Status(StatusCode.Cancelled, "Call canceled."),
            HttpProtocolException { ErrorCode: 0x8 } => new Status(StatusCode.Cancelled, "The server cancelled the stream (RST_STREAM CANCEL)."),
            HttpProtocolException { ErrorCode: 0x7 } => new Status(StatusCode.Unavailable, "The server refused the stream (REFUSED_STREAM)."),
            HttpProtocolException protocol => new Status(StatusCode.Internal, $"HTTP/2 error {protocol.ErrorCode}: {protocol.Message}", protocol),
            HttpRequestException or IOException => new Status(StatusCode.Unavailable, "Error talking to the server: " + exception.Message, exception),
            _ => new Status(StatusCode.Internal, "Error in the gRPC call: " + exception.Message, exception),
        };

    /// <summary>True when the headers carry call metadata beyond the protocol's own (grpc-status etc.).</summary>
    public static bool HasCustomMetadata(HttpHeaders headers)
    {
        foreach (var header in headers.NonValidated)
        {
            if (!MetadataHeaders.IsReserved(header.Key))
            {
                return true;
            }
        }

        return false;
    }
}
