namespace Quoncept.ServiceDefaults.Hosting;

/// <summary>Configuration section "Quoncept:Tracing" (env Quoncept__Tracing__...).</summary>
internal sealed class TracingOptions
{
    public const string Section = "Quoncept:Tracing";

    /// <summary>Zipkin v2 spans endpoint; unset: no Zipkin export.</summary>
    public string? ZipkinEndpoint { get; set; }

    /// <summary>Share of root traces recorded, 0..1.</summary>
    public double SamplingRate { get; set; } = 1;

    public Uri? ZipkinUri =>
        Uri.TryCreate(ZipkinEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
}
