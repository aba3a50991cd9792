using System.Net.WebSockets;
using System.Text;
using Grpc.Core;
using Quoncept.Contracts;

namespace Quoncept.Gateway.Browser;

/// <summary>
/// How and why the gateway closes a browser's WebSocket. Standard codes (RFC 6455 section 7.4.1)
/// for transport faults, 4000-4999 (private use) for the session's own reasons: 44xx mirror the
/// HTTP status of a refusal, 40xx follow a Terminate message. The reason names what to fix.
/// </summary>
internal readonly record struct BrowserClose(int Code, string Reason)
{
    public const int ProtocolError = 1002;           // the quoncept.v1 subprotocol was not offered
    public const int NotBinary = 1003;               // a text frame
    public const int NotProtobuf = 1007;             // a frame that is not the expected protobuf message
    public const int OriginNotAllowed = 1008;        // policy violation: a page of another origin
    public const int FrameTooBig = 1009;
    public const int Replaced = 4001;                // Terminate{replaced}: a newer session of the same user
    public const int SlowConsumer = 4002;            // Terminate{slow_consumer}
    public const int LoggedOut = 4003;               // Terminate{logged_out}
    public const int Reconnected = 4004;             // the same connection id was opened again
    public const int Terminated = 4000;              // any other Terminate reason
    public const int BadHello = 4400;                // malformed connection id
    public const int Unauthenticated = 4401;         // missing, invalid, expired or replaced token
    public const int HelloTimeout = 4408;
    public const int Flood = 4429;
    public const int Unavailable = 4503;             // the universe cannot be reached: try again

    /// <summary>A refused admission, from its gRPC status: 4400 + the status's HTTP counterpart.</summary>
    public static BrowserClose Refused(StatusCode code, string message) => new(code switch
    {
        StatusCode.InvalidArgument => BadHello,
        StatusCode.Unauthenticated => Unauthenticated,
        StatusCode.PermissionDenied => 4403,
        StatusCode.NotFound => 4404,
        StatusCode.ResourceExhausted => Flood,
        StatusCode.Unavailable => Unavailable,
        _ => 4500,
    }, message);

    /// <summary>The close after a Terminate message, so that a client that missed the message still learns why.</summary>
    public static BrowserClose After(V1.Terminate terminate) => terminate.Reason switch
    {
        "shutdown" => new((int)WebSocketCloseStatus.EndpointUnavailable, "shutdown: " + terminate.Message),
        SessionEndReasons.Replaced => new(Replaced, "replaced: " + terminate.Message),
        "slow_consumer" => new(SlowConsumer, "slow_consumer: " + terminate.Message),
        "reconnected" => new(Reconnected, "reconnected: " + terminate.Message),
        "logged_out" => new(LoggedOut, "logged_out: " + terminate.Message),
        _ => new(Terminated, terminate.Reason + ": " + terminate.Message),
    };

    /// <summary>The reason as a close frame can carry it: at most 123 bytes of UTF-8 (RFC 6455 section 5.5).</summary>
    public string WireReason
    {
        get
        {
            if (Encoding.UTF8.GetByteCount(Reason) <= 123) return Reason;
            var cut = Reason;
            while (Encoding.UTF8.GetByteCount(cut) > 120) cut = cut[..^1];
            return cut + "...";
        }
    }
}
