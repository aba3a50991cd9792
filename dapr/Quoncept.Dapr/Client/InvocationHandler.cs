using System.Text.RegularExpressions;

namespace Quoncept.Dapr;

/// <summary>
/// Rewrites <c>http://{appId}/{path}?{query}</c> to <c>{DaprEndpoint}/v1.0/invoke/{appId}/method/{path}?{query}</c>
/// and adds the <c>dapr-api-token</c> header: plug it under any <see cref="HttpClient"/> (as in the official SDK).
/// </summary>
public sealed partial class InvocationHandler : DelegatingHandler
{
    private Uri _daprEndpoint = DaprDefaults.GetDefaultHttpEndpoint();

    public string DaprEndpoint
    {
        get => _daprEndpoint.AbsoluteUri;
        set
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                throw new ArgumentException($"'{value}' is not an absolute http(s) URL.", nameof(value));
            }

            _daprEndpoint = uri;
        }
    }

    public string? DaprApiToken { get; set; } = DaprDefaults.GetDefaultDaprApiToken();

    /// <summary>When set, every request goes to this app whatever host its URI names.</summary>
    public string? DefaultAppId { get; set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        if (!original.IsAbsoluteUri)
        {
            throw new InvalidOperationException($"'{original}' is relative: set HttpClient.BaseAddress to http://<app-id>/.");
        }

        var appId = ValidateAppId(DefaultAppId ?? original.Host);
        var endpoint = _daprEndpoint.AbsoluteUri.TrimEnd('/');
        request.RequestUri = new Uri($"{endpoint}/v1.0/invoke/{appId}/method{original.AbsolutePath}{original.Query}");
        DaprInvocation.Tag(request, appId, original.AbsolutePath.TrimStart('/'));
        if (DaprApiToken is not null)
        {
            request.Headers.Remove(DaprDefaults.DaprApiTokenHeader);
            request.Headers.TryAddWithoutValidation(DaprDefaults.DaprApiTokenHeader, DaprApiToken);
        }

        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>App ids are DNS-label-like names, optionally <c>app.namespace</c>.</summary>
    internal static string ValidateAppId(string appId)
    {
        if (string.IsNullOrEmpty(appId) || !AppIdPattern().IsMatch(appId))
        {
            throw new ArgumentException($"'{appId}' is not a valid Dapr app id (letters, digits, '-', '_', '.').", nameof(appId));
        }

        return appId;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$")]
    private static partial Regex AppIdPattern();
}
