using System.Globalization;
using Quoncept.Sidecar.Components;

namespace Quoncept.Sidecar.Tracing;

/// <summary>
/// Reads a Dapr <c>kind: Configuration</c> file (https://docs.dapr.io/reference/resource-specs/configuration-schema/):
/// <c>spec.tracing.samplingRate</c> (a number from 0 to 1, as a string) and <c>spec.tracing.zipkin.endpointAddress</c>.
/// Other sections are accepted and not used.
/// </summary>
internal static class ConfigurationLoader
{
    public static TracingOptions Load(string? file)
    {
        if (file is null)
        {
            return TracingOptions.None;
        }
        if (!File.Exists(file))
        {
            throw new ComponentLoadException(file, "configuration file does not exist");
        }
        var documents = YamlDocuments.Load(file, File.ReadAllText(file));
        var configuration = documents.FirstOrDefault(d => d.Scalar("kind", file) == "Configuration")
            ?? throw new ComponentLoadException(file, "no document with kind: Configuration");
        var tracing = configuration.Mapping("spec", file)?.Mapping("tracing", file);
        if (tracing is null)
        {
            return TracingOptions.None;
        }
        var rateText = tracing.Scalar("samplingRate", file) ?? "0";
        if (!double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 1)
        {
            throw new ComponentLoadException(file, $"spec.tracing.samplingRate '{rateText}' must be a number from 0 to 1");
        }
        Uri? endpoint = null;
        if (tracing.Mapping("zipkin", file)?.Scalar("endpointAddress", file) is { Length: > 0 } address)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https"))
            {
                throw new ComponentLoadException(file, $"spec.tracing.zipkin.endpointAddress '{address}' must be an http(s) URL such as http://localhost:9411/api/v2/spans");
            }
        }
        return new TracingOptions(rate, endpoint);
    }
}
