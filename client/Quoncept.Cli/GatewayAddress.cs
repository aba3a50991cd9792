using System.CommandLine.Parsing;

namespace Quoncept.Cli;

/// <summary>Parses --gateway style values: an absolute http://host:port address (the gateway speaks h2c).</summary>
internal static class GatewayAddress
{
    public static Uri? Parse(ArgumentResult result) => Parse(result, result.Tokens.Count == 0 ? "http://127.0.0.1:5080" : result.Tokens[^1].Value);

    public static Uri[] ParseMany(ArgumentResult result) =>
        result.Tokens.Select(t => Parse(result, t.Value)).OfType<Uri>().ToArray();

    private static Uri? Parse(ArgumentResult result, string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && !string.IsNullOrEmpty(uri.Host)) return uri;
        result.AddError($"'{text}' is not a gateway address: give an absolute http://host:port address, e.g. http://127.0.0.1:5080");
        return null;
    }
}
