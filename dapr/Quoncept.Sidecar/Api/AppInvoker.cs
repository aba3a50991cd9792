using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Errors;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// Service invocation (https://docs.dapr.io/reference/api/service_invocation_api/) behind both transports:
/// picks the next healthy replica of the target app (round-robin), stamps daprd's identity headers and
/// sends the request on that replica's app channel, which continues the current trace. The HTTP API and
/// the gRPC <c>InvokeService</c> method build the request and shape the answer.
/// </summary>
internal sealed class AppInvoker(AppRegistry apps)
{
    public const string CallerIdHeader = "dapr-caller-app-id";
    public const string CalleeIdHeader = "dapr-callee-app-id";

    // What daprd never passes to the app (dapr/dapr pkg/messaging/v1/util.go): hop-by-hop headers, the
    // body framing (set from the body itself), the trace context (the app gets the current span's),
    // routing headers, and identity headers a caller could otherwise forge.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "HTTP2-Settings", "TE", "Trailer",
        "Proxy-Authorization", "Proxy-Authenticate", "Content-Length", "Content-Type", "traceparent", "tracestate", "grpc-trace-bin",
        "dapr-app-id", "destination-app-id", CallerIdHeader, CalleeIdHeader, "dapr-caller-namespace",
    };

    /// <summary>True for a caller's header daprd passes on to the invoked app.</summary>
    public static bool IsForwarded(string name) =>
        !NotForwarded.Contains(name) && !name.EndsWith("-bin", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The replica of <paramref name="appId"/> the next call goes to (<c>{appId}.{namespace}</c> is accepted,
    /// as daprd does); the Dapr error when the app is unknown or has no healthy replica.
    /// </summary>
    public AppInstance Resolve(string appId)
    {
        if (string.IsNullOrWhiteSpace(appId))
        {
            throw DaprErrors.DirectInvokeNoAppId();
        }
        var dot = appId.IndexOf('.', StringComparison.Ordinal);
        return apps.NextHealthy(dot > 0 ? appId[..dot] : appId);
    }

    /// <summary>Sends <paramref name="request"/> (a path relative to the app's root) to <paramref name="target"/>; the answer's body is not read yet.</summary>
    public static async Task<HttpResponseMessage> SendAsync(AppInstance caller, AppInstance target, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation(CallerIdHeader, caller.AppId);
        request.Headers.TryAddWithoutValidation(CalleeIdHeader, target.AppId);
        try
        {
            return await target.Channel!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException error)
        {
            throw DaprErrors.AppUnavailable(target.AppId, $"{target.InstanceId} did not answer {request.Method} /{request.RequestUri}: {error.Message}");
        }
    }

    /// <summary>
    /// An app-relative request for <paramref name="path"/> (cleaned the way daprd cleans an invoked
    /// method, so <c>../</c> never climbs out of it) with <paramref name="query"/> (without <c>?</c>).
    /// </summary>
    public static HttpRequestMessage CreateRequest(string verb, string path, string? query)
    {
        var method = DaprPath.ForApp(path);
        return new HttpRequestMessage(new HttpMethod(verb), string.IsNullOrEmpty(query) ? method : $"{method}?{query}");
    }
}
