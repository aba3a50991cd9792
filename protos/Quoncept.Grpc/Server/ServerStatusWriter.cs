using Microsoft.AspNetCore.Http;

namespace Quoncept.Grpc;

/// <summary>The one place a server call's outcome reaches the wire.</summary>
internal static class ServerStatusWriter
{
    /// <summary>
    /// Ends a call. Response → (Response-Headers *Length-Prefixed-Message Trailers) / Trailers-Only;
    /// Trailers → Status [Status-Message] *Custom-Metadata. Before any message the status travels
    /// in the headers (Trailers-Only, END_STREAM on HEADERS); after, in real trailers.
    /// </summary>
    public static void WriteStatus(HttpServerCallContext call, Status status)
    {
        if (call.Ended)
        {
            return;
        }

        call.Ended = true;
        var response = call.HttpContext.Response;
        var trailersOnly = !response.HasStarted && !call.MessageWritten;
        if (trailersOnly)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = GrpcProtocol.ContentType;
            var headers = response.Headers;
            headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
            headers[GrpcProtocol.StatusHeader] = StatusCodeText(status.StatusCode);
            if (status.Detail.Length > 0)
            {
                headers[GrpcProtocol.MessageHeader] = StatusMessageEncoding.Encode(status.Detail);
            }

            if (call.ResponseTrailersIfAny is { Count: > 0 } custom)
            {
                MetadataHeaders.WriteTo(custom, headers);
            }

            return;
        }

        response.AppendTrailer(GrpcProtocol.StatusHeader, StatusCodeText(status.StatusCode));
        if (status.Detail.Length > 0)
        {
            response.AppendTrailer(GrpcProtocol.MessageHeader, StatusMessageEncoding.Encode(status.Detail));
        }

        if (call.ResponseTrailersIfAny is { Count: > 0 } trailers)
        {
            foreach (var entry in trailers)
            {
                if (!MetadataHeaders.IsReserved(entry.Key))
                {
                    response.AppendTrailer(entry.Key, entry.IsBinary ? MetadataHeaders.ToBase64(entry.ValueBytes) : entry.Value);
                }
            }
        }
    }

    /// <summary>
    /// Refuses a request that is not a gRPC call at the HTTP level (wrong content-type → 415,
    /// not HTTP/2 → 426), still naming a gRPC status so gRPC clients can report it.
    /// </summary>
    public static Task WriteHttpErrorAsync(HttpResponse response, int httpStatus, StatusCode code, string message)
    {
        response.StatusCode = httpStatus;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers[GrpcProtocol.StatusHeader] = StatusCodeText(code);
        response.Headers[GrpcProtocol.MessageHeader] = StatusMessageEncoding.Encode(message);
        return response.WriteAsync(message);
    }

    private static readonly string[] CodeTexts = Enumerable.Range(0, 17).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static string StatusCodeText(StatusCode code) =>
        (int)code is >= 0 and < 17 ? CodeTexts[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
