using System.Net;

namespace Quoncept.Dapr;

/// <summary>
/// The sidecar answered with an error. Dapr error bodies look like
/// <c>{"errorCode":"ERR_STATE_STORE_NOT_FOUND","message":"..."}</c>
/// (https://docs.dapr.io/reference/api/error_codes/); both fields are surfaced here.
/// </summary>
public class DaprApiException : DaprException
{
    public DaprApiException(string message, string errorCode, HttpStatusCode statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>Dapr's error code, e.g. <c>ERR_STATE_SAVE</c>; <c>UNKNOWN</c> when the body carried none.</summary>
    public string ErrorCode { get; }

    public HttpStatusCode StatusCode { get; }
}
