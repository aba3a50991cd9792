using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr;

/// <summary>
/// The one HTTP connection pool to the sidecar, shared by the client, actor proxies, the actor state
/// provider and the timer/reminder manager. Every request gets the <c>dapr-api-token</c> header here and
/// every error response is turned into an exception here, in <see cref="ThrowIfFailedAsync"/>.
/// </summary>
internal sealed class DaprSidecar : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;

    public DaprSidecar(Uri endpoint, string? apiToken, JsonSerializerOptions jsonOptions, HttpMessageHandler? handler = null)
    {
        Endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        ApiToken = apiToken;
        JsonOptions = jsonOptions;
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(5) })
            : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _ownsHttpClient = true;
    }

    public Uri Endpoint { get; }

    public string? ApiToken { get; }

    public JsonSerializerOptions JsonOptions { get; }

    public static MediaTypeHeaderValue JsonContentType { get; } = new("application/json") { CharSet = "utf-8" };

    /// <summary><paramref name="relativePath"/> is already escaped, e.g. <c>v1.0/state/store/key</c>.</summary>
    public HttpRequestMessage CreateRequest(HttpMethod method, string relativePath)
    {
        var request = new HttpRequestMessage(method, new Uri(Endpoint, relativePath));
        if (ApiToken is not null)
        {
            request.Headers.TryAddWithoutValidation(DaprDefaults.DaprApiTokenHeader, ApiToken);
        }

        return request;
    }

    public static ByteArrayContent JsonContent(byte[] utf8Json)
    {
        var content = new ByteArrayContent(utf8Json);
        content.Headers.ContentType = JsonContentType;
        return content;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new DaprException(
                $"Cannot reach the Dapr sidecar at {Endpoint} ({request.Method} /{request.RequestUri?.PathAndQuery.TrimStart('/')}): {ex.Message}. " +
                "Is daprd or the local runtime running, and are DAPR_HTTP_PORT / DAPR_HTTP_ENDPOINT right?", ex);
        }
    }

    /// <summary>Sends and throws <see cref="DaprApiException"/> for any non-2xx answer; the caller disposes the response.</summary>
    public async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, operation, cancellationToken).ConfigureAwait(false);
        return response;
    }

    public static async Task ThrowIfFailedAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var (code, message) = ParseErrorBody(body);
            throw new DaprApiException(
                $"{operation} failed with HTTP {(int)response.StatusCode}{(code is null ? "" : " " + code)}: {message ?? Describe(body)}",
                code ?? "UNKNOWN",
                response.StatusCode);
        }
    }

    /// <summary>Reads <c>{"errorCode":"...","message":"..."}</c>; both null when the body is something else.</summary>
    public static (string? ErrorCode, string? Message) ParseErrorBody(string body)
    {
        if (body.Length == 0 || body[0] != '{')
        {
            return (null, null);
        }

        try
        {
            var error = JsonSerializer.Deserialize(body, DaprWireContext.Default.DaprErrorBody);
            return (error?.ErrorCode, error?.Message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    public static string Describe(string body) => body.Length == 0 ? "(empty body)" : body.Length <= 512 ? body : body[..512] + "...";

    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>Appends <c>metadata.{key}={value}</c> query parameters, the HTTP API's way of passing request metadata.</summary>
    public static void AppendMetadata(StringBuilder path, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var (key, value) in metadata)
        {
            AppendQuery(path, "metadata." + key, value);
        }
    }

    public static void AppendQuery(StringBuilder path, string name, string value)
    {
        path.Append(path.ToString().Contains('?', StringComparison.Ordinal) ? '&' : '?')
            .Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
    }

    public static bool IsNoContent(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0;

    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _http.Dispose();
        }
    }
}
