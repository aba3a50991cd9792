using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Quoncept.Gateway.Browser;

/// <summary>
/// Which pages may open the WebSocket: the gateway's own (the Origin is the request's own host),
/// those configured in <see cref="BrowserOptions.AllowedOrigins"/>, and non-browser clients,
/// which send no Origin. Browsers always send it on a WebSocket handshake and a page cannot forge it.
/// </summary>
internal sealed class OriginPolicy(IOptions<BrowserOptions> options)
{
    private readonly bool _any = options.Value.AllowedOrigins.Contains("*");
    private readonly HashSet<string> _allowed = options.Value.AllowedOrigins.Select(Normalize).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>Null when the request may go on, else why not.</summary>
    public string? Refusal(HttpRequest request)
    {
        var origin = request.Headers[HeaderNames.Origin].ToString();
        if (origin.Length == 0 || _any) return null;
        var normalized = Normalize(origin);
        if (normalized is not null && (_allowed.Contains(normalized) || normalized == Normalize($"{request.Scheme}://{request.Host}"))) return null;
        return $"origin '{Shorten(origin)}' is not allowed";
    }

    /// <summary>"scheme://host[:port]" lower-cased, default port dropped, as browsers send it; null if it is not an http(s) origin.</summary>
    public static string? Normalize(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0) return null;
        if (uri.AbsolutePath != "/") return null;
        return uri.GetLeftPart(UriPartial.Authority);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
