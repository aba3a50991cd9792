using System.Net;
using System.Net.Http.Headers;

namespace Quoncept.Grpc.Tests;

/// <summary>Sends hand-made HTTP/2 requests, to check how the server answers malformed calls.</summary>
public sealed class RawGrpcClient : IDisposable
{
    private readonly HttpClient _http;

    public RawGrpcClient(HttpMessageHandler? handler = null)
    {
        _http = new HttpClient(handler ?? new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task<RawResponse> SendAsync(Uri address, string path, byte[] body, string contentType = "application/grpc", Version? version = null, params (string Key, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (key, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        using var response = await _http.SendAsync(request);
        var content = await response.Content.ReadAsByteArrayAsync();
        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var v) ? v.First()
            : response.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
            : null;
        return new RawResponse(
            (int)response.StatusCode,
            Header("grpc-status"),
            Header("grpc-message"),
            Header("grpc-accept-encoding"),
            response.TrailingHeaders.Contains("grpc-status"),
            content);
    }

    /// <summary>A frame: Compressed-Flag, 4-byte big-endian length, then the payload.</summary>
    public static byte[] Frame(byte[] payload, byte flag = 0, int? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(declaredLength ?? payload.Length));
        payload.CopyTo(frame, 5);
        return frame;
    }

    public void Dispose() => _http.Dispose();
}

public sealed record RawResponse(int HttpStatus, string? GrpcStatus, string? GrpcMessage, string? AcceptEncoding, bool StatusInTrailers, byte[] Body);
