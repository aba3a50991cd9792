using System.Text.Json;

namespace Quoncept.Dapr;

/// <summary>Builds a <see cref="DaprClient"/>; defaults come from <see cref="DaprDefaults"/> (environment variables).</summary>
public sealed class DaprClientBuilder
{
    private string? _httpEndpoint;
    private string? _apiToken;
    private bool _apiTokenSet;
    private JsonSerializerOptions _jsonOptions = new(JsonSerializerDefaults.Web);
    private HttpMessageHandler? _handler;

    public DaprClientBuilder UseHttpEndpoint(string httpEndpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(httpEndpoint);
        _httpEndpoint = httpEndpoint;
        return this;
    }

    public DaprClientBuilder UseDaprApiToken(string? apiToken)
    {
        _apiToken = string.IsNullOrEmpty(apiToken) ? null : apiToken;
        _apiTokenSet = true;
        return this;
    }

    public DaprClientBuilder UseJsonSerializationOptions(JsonSerializerOptions options)
    {
        _jsonOptions = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <summary>Routes the client's HTTP through <paramref name="handler"/> (which the caller keeps ownership of); for tests and custom transports.</summary>
    public DaprClientBuilder UseHttpMessageHandler(HttpMessageHandler handler)
    {
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    public DaprClient Build() => new DaprHttpClient(BuildSidecar());

    internal DaprSidecar BuildSidecar()
    {
        Uri endpoint;
        if (_httpEndpoint is null)
        {
            endpoint = DaprDefaults.GetDefaultHttpEndpoint();
        }
        else if (!Uri.TryCreate(_httpEndpoint, UriKind.Absolute, out endpoint!) || (endpoint.Scheme != "http" && endpoint.Scheme != "https"))
        {
            throw new ArgumentException($"'{_httpEndpoint}' is not an absolute http(s) URL, e.g. http://127.0.0.1:3500.");
        }

        return new DaprSidecar(endpoint, _apiTokenSet ? _apiToken : DaprDefaults.GetDefaultDaprApiToken(), _jsonOptions, _handler);
    }
}
