namespace Quoncept.Grpc;

/// <summary>
/// Names and constants of gRPC over HTTP/2.
/// Spec: https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md
/// </summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string TimeoutHeader = "grpc-timeout";
    public const string TeHeader = "te";
    public const string Identity = "identity";
    public const string Gzip = "gzip";

    /// <summary>The encodings this implementation speaks, in grpc-accept-encoding form.</summary>
    public const string SupportedEncodings = "identity,gzip";

    public const int HeaderSize = 5;
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// Content-Type → "content-type" "application/grpc" [("+proto" / "+json" / {custom})].
    /// Parameters after ';' are allowed. Only protobuf is served, so "+json" and others are refused.
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = contentType.AsSpan(ContentType.Length);
        var semicolon = rest.IndexOf(';');
        if (semicolon >= 0)
        {
            rest = rest[..semicolon];
        }

        rest = rest.Trim();
        return rest.IsEmpty || rest.Equals("+proto", StringComparison.OrdinalIgnoreCase);
    }

    public static bool IsSupportedEncoding(string encoding) =>
        string.Equals(encoding, Identity, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(encoding, Gzip, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when a grpc-accept-encoding list (comma-separated) names the encoding.</summary>
    public static bool AcceptsEncoding(string? acceptEncoding, string encoding)
    {
        if (string.IsNullOrEmpty(acceptEncoding))
        {
            return false;
        }

        foreach (var range in acceptEncoding.AsSpan().Split(','))
        {
            if (acceptEncoding.AsSpan(range).Trim().Equals(encoding, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
