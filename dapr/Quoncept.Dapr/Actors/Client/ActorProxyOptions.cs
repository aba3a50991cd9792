using System.Text.Json;

namespace Quoncept.Dapr.Actors.Client;

/// <summary>How proxies reach the sidecar; defaults from DAPR_HTTP_ENDPOINT / DAPR_HTTP_PORT / DAPR_API_TOKEN.</summary>
public sealed class ActorProxyOptions
{
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);

    public string? HttpEndpoint { get; set; }

    public string? DaprApiToken { get; set; } = DaprDefaults.GetDefaultDaprApiToken();

    /// <summary>Bounds each call; <see cref="Timeout.InfiniteTimeSpan"/> (the default) leaves it to the CancellationToken.</summary>
    public TimeSpan RequestTimeout { get; set; } = Timeout.InfiniteTimeSpan;
}
