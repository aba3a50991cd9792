using System.Globalization;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Quoncept.Sidecar.Api;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Errors;

namespace Quoncept.Sidecar.GrpcApi;

/// <summary>
/// gRPC <c>InvokeService</c> to an app served over HTTP, the way daprd's HTTP app channel does it
/// (dapr/dapr pkg/channel/http/http_channel.go, pkg/api/grpc/grpc.go): the verb and query come from
/// <c>message.http_extension</c> (required: without it the call fails), the body is <c>message.data.value</c>
/// with <c>message.content_type</c> (<c>application/x-protobuf</c> when the data has a type URL), the call's
/// metadata become headers. A 2xx answer comes back as <c>InvokeResponse</c>; any other status fails the
/// call with daprd's code for it (404 NOT_FOUND, 500 UNKNOWN, 400 INTERNAL, ...), the reason phrase as
/// message and the start of the body in the ErrorInfo. Either way the app's headers come back as response
/// metadata (HTTP-defined ones prefixed <c>dapr-</c>) with <c>dapr-http-status</c>.
/// </summary>
internal static class InvokeServiceCall
{
    public const string HttpStatusHeader = "dapr-http-status";

    // The headers Go's net/http considers permanent (IANA); daprd prefixes them with dapr- in gRPC metadata.
    private static readonly HashSet<string> PermanentHttpHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "Accept-Charset", "Accept-Language", "Accept-Ranges", "Connection", "Keep-Alive", "Proxy-Connection",
        "Transfer-Encoding", "Upgrade", "Cache-Control", "Content-Type", "Content-Length", "Cookie", "Date", "Expect", "From",
        "Host", "If-Match", "If-Modified-Since", "If-None-Match", "If-Schedule-Tag-Match", "If-Unmodified-Since", "Max-Forwards",
        "Origin", "Pragma", "Referer", "Via", "Warning",
    };

    public static async Task<InvokeResponse> RunAsync(AppInvoker invoker, AppInstance caller, InvokeServiceRequest invocation, ServerCallContext call)
    {
        var target = invoker.Resolve(invocation.Id);
        var message = invocation.Message ?? new InvokeRequest();
        var verb = message.HttpExtension?.Verb ?? HTTPExtension.Types.Verb.None;
        if (verb is HTTPExtension.Types.Verb.None or HTTPExtension.Types.Verb.Connect)
        {
            throw DaprErrors.AppUnavailable(invocation.Id, message.HttpExtension is null
                ? $"missing HTTP extension field: app {target.AppId} is served over HTTP, so message.http_extension.verb must say which HTTP verb to use"
                : $"invalid HTTP verb {verb}: use GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE or PATCH");
        }
        using var request = AppInvoker.CreateRequest(verb.ToString().ToUpperInvariant(), message.Method, message.HttpExtension!.Querystring);
        if (message.Data is { } data)
        {
            request.Content = new ByteArrayContent(data.Value.ToByteArray());
            var contentType = data.TypeUrl.Length > 0 ? "application/x-protobuf" : message.ContentType;
            if (contentType.Length > 0)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }
        foreach (var (name, values) in call.GetHttpContext().Request.Headers)
        {
            if (ForwardedName(name) is { } forwarded)
            {
                request.Headers.TryAddWithoutValidation(forwarded, (IEnumerable<string?>)values);
            }
        }
        using var response = await AppInvoker.SendAsync(caller, target, request, call.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(call.CancellationToken);
        await call.WriteResponseHeadersAsync(ResponseMetadata(response));
        var status = (int)response.StatusCode;
        if (status is < 200 or >= 300)
        {
            throw GrpcErrors.FromHttpStatus(status, System.Text.Encoding.UTF8.GetString(body));
        }
        return new InvokeResponse
        {
            Data = new Any { Value = UnsafeByteOperations.UnsafeWrap(body) },
            ContentType = response.Content.Headers.ContentType?.ToString() ?? "",
        };
    }

    /// <summary>
    /// The header name a call's metadata entry reaches the app under, or null when daprd drops it:
    /// <c>:authority</c> (Host here) becomes <c>dapr-authority</c>, <c>grpc-*</c> becomes <c>dapr-grpc-*</c>.
    /// </summary>
    internal static string? ForwardedName(string name)
    {
        if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
        {
            return "dapr-authority";
        }
        if (!AppInvoker.IsForwarded(name) || name.StartsWith(':'))
        {
            return null;
        }
        return name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase) ? "dapr-" + name.ToLowerInvariant() : name;
    }

    /// <summary>The app's response headers as gRPC metadata (daprd's InternalMetadataToGrpcMetadata with HTTP conversion).</summary>
    internal static Metadata ResponseMetadata(HttpResponseMessage response)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            var key = name.ToLowerInvariant();
            if (key is "traceparent" or "tracestate" or "grpc-trace-bin" or "te" || key.EndsWith("-bin", StringComparison.Ordinal) || !IsMetadataKey(key))
            {
                continue;
            }
            key = PermanentHttpHeaders.Contains(name) ? "dapr-" + key : key;
            foreach (var value in values.Where(IsPrintableAscii))
            {
                metadata.Add(key, value);
            }
        }
        metadata.Add(HttpStatusHeader, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        return metadata;
    }

    private static bool IsMetadataKey(string key) =>
        key.Length > 0 && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.');

    private static bool IsPrintableAscii(string value) => value.All(c => c is >= ' ' and <= '~');
}
