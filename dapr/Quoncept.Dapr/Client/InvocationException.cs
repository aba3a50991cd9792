using System.Net;

namespace Quoncept.Dapr;

/// <summary>A service invocation through the sidecar returned a non-success status.</summary>
public sealed class InvocationException : DaprException
{
    public InvocationException(string appId, string methodName, HttpStatusCode statusCode, string? errorCode, string responseBody)
        : base($"Invoking '{methodName}' on app '{appId}' failed with HTTP {(int)statusCode}" +
               (errorCode is null ? "" : $" ({errorCode})") +
               (responseBody.Length == 0 ? "." : $": {Truncate(responseBody)}"))
    {
        AppId = appId;
        MethodName = methodName;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ResponseBody = responseBody;
    }

    public string AppId { get; }
    public string MethodName { get; }
    public HttpStatusCode StatusCode { get; }

    /// <summary>Set when the sidecar itself reported the failure with a Dapr error body.</summary>
    public string? ErrorCode { get; }

    public string ResponseBody { get; }

    private static string Truncate(string s) => s.Length <= 512 ? s : s[..512] + "...";
}
