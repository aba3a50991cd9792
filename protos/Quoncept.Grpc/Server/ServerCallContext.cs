using Microsoft.AspNetCore.Http;

namespace Quoncept.Grpc;

/// <summary>What a handler knows about its call, as in Grpc.Core.</summary>
public abstract class ServerCallContext
{
    /// <summary>The full method name, "/package.Service/Method".</summary>
    public abstract string Method { get; }

    public abstract string Host { get; }

    /// <summary>The caller's address, "ipv4:127.0.0.1:5000" / "ipv6:[::1]:5000".</summary>
    public abstract string Peer { get; }

    /// <summary>When the call must end (UTC); DateTime.MaxValue without grpc-timeout.</summary>
    public abstract DateTime Deadline { get; }

    /// <summary>The caller's metadata ("-bin" entries already base64-decoded).</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>The one token of this call: cancelled on deadline and on client abort.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>Trailers sent with the status at the end of the call.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>The status sent when the handler returns normally (default OK).</summary>
    public abstract Status Status { get; set; }

    public abstract IDictionary<object, object> UserState { get; }

    /// <summary>Sends the response headers now; at most once, before the first message.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);

    public abstract HttpContext GetHttpContext();
}
