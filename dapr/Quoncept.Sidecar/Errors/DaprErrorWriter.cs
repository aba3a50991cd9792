using System.Text.Json;

namespace Quoncept.Sidecar.Errors;

/// <summary>
/// The one place that writes Dapr error responses: <c>{"errorCode":"…","message":"…"}</c> with the status.
/// https://docs.dapr.io/reference/api/error_codes/
/// </summary>
internal static class DaprErrorWriter
{
    public static Task WriteAsync(HttpContext context, DaprApiException error) =>
        WriteAsync(context, error.StatusCode, error.ErrorCode, error.Message);

    public static async Task WriteAsync(HttpContext context, int statusCode, string errorCode, string message)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }
        context.Response.Clear();
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("errorCode", errorCode);
        json.WriteString("message", message);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
