using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Quoncept.Universe.Tests.Sandbox;

/// <summary>
/// The gRPC wire of a unary call, for test stand-ins of the sidecar's gRPC API that sit under the
/// SDK's real DaprClient as its channel's HttpHandler: read the request message, answer a message
/// (status in the trailers) or a Trailers-Only status (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md).
/// </summary>
internal static class DaprGrpcFrames
{
    public const string DaprService = "/dapr.proto.runtime.v1.Dapr/";

    /// <summary>The method name of a call to the Dapr service, else null (e.g. the SDK's server-reflection probe).</summary>
    public static string? DaprMethod(HttpRequestMessage request) =>
        request.RequestUri!.AbsolutePath is var path && path.StartsWith(DaprService, StringComparison.Ordinal) ? path[DaprService.Length..] : null;

    public static async Task<T> ReadAsync<T>(HttpRequestMessage request, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        return parser.ParseFrom(body.AsSpan(5, BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(1, 4))));
    }

    public static HttpResponseMessage Answer(IMessage reply)
    {
        var bytes = reply.ToByteArray();
        var frame = new byte[5 + bytes.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1, 4), bytes.Length);
        bytes.CopyTo(frame, 5);
        var response = Response(frame);
        response.TrailingHeaders.Add("grpc-status", "0");
        return response;
    }

    /// <summary>A Trailers-Only answer: the status in the headers, no body.</summary>
    public static HttpResponseMessage Status(int code, string message)
    {
        var response = Response([]);
        response.Headers.Add("grpc-status", code.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("grpc-message", Uri.EscapeDataString(message));
        return response;
    }

    private static HttpResponseMessage Response(byte[] body)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Version = HttpVersion.Version20, Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        return response;
    }
}
