using System.Net;

namespace Quoncept.Grpc;

/// <summary>The HTTP/2 request of a call.</summary>
internal static class ClientRequest
{
    /// <summary>Metadata key choosing the request compression of one call, as in grpc-dotnet; never sent.</summary>
    public const string CompressionMetadataKey = "grpc-internal-encoding-request";

    /// <summary>
    /// Request-Headers → Call-Definition *Custom-Metadata; Call-Definition → ":method POST",
    /// ":path /Service/Method", "te: trailers", "content-type: application/grpc", [grpc-timeout],
    /// [grpc-encoding], [grpc-accept-encoding], [user-agent]. HTTP/2 only (h2c prior knowledge on http://).
    /// </summary>
    public static HttpRequestMessage Create(Uri uri, HttpContent content, Metadata? metadata, TimeSpan? timeout, bool gzip)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, "trailers");
        headers.TryAddWithoutValidation("User-Agent", "grpc-dotnet-quoncept/1.0");
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (gzip)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, GrpcProtocol.Gzip);
        }

        if (timeout is { } t)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(t));
        }

        if (metadata is { Count: > 0 })
        {
            foreach (var entry in metadata)
            {
                if (entry.Key != CompressionMetadataKey && !MetadataHeaders.IsReserved(entry.Key))
                {
                    headers.TryAddWithoutValidation(entry.Key, entry.IsBinary ? MetadataHeaders.ToBase64(entry.ValueBytes) : entry.Value);
                }
            }
        }

        return request;
    }
}
