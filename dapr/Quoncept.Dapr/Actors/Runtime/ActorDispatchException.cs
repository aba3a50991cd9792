using System.Net;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>A call the host refuses before it reaches actor code: unknown type or method, malformed argument.</summary>
internal sealed class ActorDispatchException(HttpStatusCode statusCode, string errorCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public string ErrorCode { get; } = errorCode;
}
