using Quoncept.V1;

namespace Quoncept.Client;

/// <summary>The gateway answered a request on the stream with an Error.</summary>
public sealed class RequestFailedException(string requestId, ErrorCode code, string message)
    : Exception($"{code}: {message} (request {requestId})")
{
    public string RequestId { get; } = requestId;
    public ErrorCode Code { get; } = code;
    public string Detail { get; } = message;
}
