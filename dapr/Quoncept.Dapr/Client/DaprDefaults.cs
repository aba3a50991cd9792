using System.Globalization;

namespace Quoncept.Dapr;

/// <summary>
/// Where the sidecar is, read the way the official SDKs do: <c>DAPR_HTTP_ENDPOINT</c> (a full URL) wins,
/// else <c>http://127.0.0.1:$DAPR_HTTP_PORT</c>, else port 3500. <c>DAPR_API_TOKEN</c> goes out as the
/// <c>dapr-api-token</c> header; <c>APP_API_TOKEN</c> is what the sidecar presents when it calls the app.
/// </summary>
public static class DaprDefaults
{
    public const string DaprApiTokenHeader = "dapr-api-token";

    public static Uri GetDefaultHttpEndpoint()
    {
        var endpoint = Environment.GetEnvironmentVariable("DAPR_HTTP_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                throw new DaprException($"DAPR_HTTP_ENDPOINT='{endpoint}' is not an absolute http(s) URL, e.g. http://127.0.0.1:3500.");
            }

            return uri;
        }

        var port = Environment.GetEnvironmentVariable("DAPR_HTTP_PORT");
        if (string.IsNullOrWhiteSpace(port))
        {
            return new Uri("http://127.0.0.1:3500");
        }

        if (!int.TryParse(port.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
        {
            throw new DaprException($"DAPR_HTTP_PORT='{port}' is not a TCP port (1-65535).");
        }

        return new Uri($"http://127.0.0.1:{p}");
    }

    public static string? GetDefaultDaprApiToken() => NullIfEmpty(Environment.GetEnvironmentVariable("DAPR_API_TOKEN"));

    public static string? GetDefaultAppApiToken() => NullIfEmpty(Environment.GetEnvironmentVariable("APP_API_TOKEN"));

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
