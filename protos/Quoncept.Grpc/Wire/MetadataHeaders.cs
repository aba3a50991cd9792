using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Quoncept.Grpc;

/// <summary>
/// Custom-Metadata ↔ HTTP/2 headers. Binary-Header → {Header-Name "-bin"} {base64 encoded value};
/// peers MUST accept padded and unpadded base64, and several values may be comma-separated.
/// </summary>
internal static class MetadataHeaders
{
    /// <summary>Headers that belong to the protocol, never to call metadata.</summary>
    public static bool IsReserved(string key) =>
        key.Length == 0 ||
        key[0] == ':' ||
        key.Equals("content-type", StringComparison.OrdinalIgnoreCase) ||
        key.Equals("te", StringComparison.OrdinalIgnoreCase) ||
        key.Equals("host", StringComparison.OrdinalIgnoreCase) ||
        key.Equals("content-length", StringComparison.OrdinalIgnoreCase) ||
        key.Equals("connection", StringComparison.OrdinalIgnoreCase) ||
        key.Equals(GrpcProtocol.StatusHeader, StringComparison.OrdinalIgnoreCase) ||
        key.Equals(GrpcProtocol.MessageHeader, StringComparison.OrdinalIgnoreCase) ||
        key.Equals(GrpcProtocol.EncodingHeader, StringComparison.OrdinalIgnoreCase) ||
        key.Equals(GrpcProtocol.AcceptEncodingHeader, StringComparison.OrdinalIgnoreCase) ||
        key.Equals(GrpcProtocol.TimeoutHeader, StringComparison.OrdinalIgnoreCase);

    public static Metadata FromHeaders(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (key, values) in headers)
        {
            if (!IsReserved(key))
            {
                AddEntries(metadata, key, values);
            }
        }

        return metadata;
    }

    public static Metadata FromHeaders(HttpHeaders headers, HttpHeaders? more = null)
    {
        var metadata = new Metadata();
        foreach (var source in more is null ? [headers] : new[] { headers, more })
        {
            foreach (var (key, values) in source.NonValidated)
            {
                if (!IsReserved(key))
                {
                    foreach (var value in values)
                    {
                        AddEntries(metadata, key, value);
                    }
                }
            }
        }

        return metadata;
    }

    public static void WriteTo(Metadata metadata, IHeaderDictionary headers)
    {
        foreach (var entry in metadata)
        {
            if (!IsReserved(entry.Key))
            {
                headers.Append(entry.Key, entry.IsBinary ? ToBase64(entry.ValueBytes) : entry.Value);
            }
        }
    }

    public static void WriteTo(Metadata metadata, HttpHeaders headers)
    {
        foreach (var entry in metadata)
        {
            if (!IsReserved(entry.Key))
            {
                headers.TryAddWithoutValidation(entry.Key, entry.IsBinary ? ToBase64(entry.ValueBytes) : entry.Value);
            }
        }
    }

    public static string ToBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static void AddEntries(Metadata metadata, string key, StringValues values)
    {
        try
        {
            AddValidEntries(metadata, key, values);
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Invalid metadata '{key}': {ex.Message}"));
        }
    }

    private static void AddValidEntries(Metadata metadata, string key, StringValues values)
    {
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            if (Metadata.Entry.IsBinaryKey(key))
            {
                foreach (var part in value.Split(','))
                {
                    metadata.Add(key, FromBase64(key, part.Trim()));
                }
            }
            else
            {
                metadata.Add(key, value);
            }
        }
    }

    private static byte[] FromBase64(string key, string value)
    {
        var padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Metadata '{key}' is not valid base64."));
        }
    }
}
