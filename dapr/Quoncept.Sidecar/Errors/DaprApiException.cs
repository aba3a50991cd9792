namespace Quoncept.Sidecar.Errors;

/// <summary>
/// An error the Dapr HTTP API reports to its caller as <c>{"errorCode","message"}</c> with an HTTP status.
/// Thrown anywhere below an endpoint; <see cref="DaprErrorWriter"/> turns it into the response.
/// Error codes: https://docs.dapr.io/reference/api/error_codes/
/// </summary>
internal class DaprApiException(int statusCode, string errorCode, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;

    public string ErrorCode { get; } = errorCode;
}
