using System.Text.Json;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>
/// Configuration of the actor host, as in <c>Dapr.Actors.Runtime.ActorRuntimeOptions</c>. The timeouts are reported
/// to the sidecar in <c>GET /dapr/config</c>; the sidecar does the idle scanning and deactivation.
/// </summary>
public sealed class ActorRuntimeOptions
{
    public ActorRegistrationCollection Actors { get; } = new();

    public TimeSpan ActorIdleTimeout { get; set; } = TimeSpan.FromMinutes(60);

    public TimeSpan ActorScanInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan DrainOngoingCallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool DrainRebalancedActors { get; set; } = true;

    /// <summary>Reported to the sidecar when set; null leaves the sidecar's default.</summary>
    public int? RemindersStoragePartitions { get; set; }

    /// <summary>Serializes method arguments, results and actor state.</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>Sidecar address for actor state, timers, reminders and proxies; default from DAPR_HTTP_ENDPOINT / DAPR_HTTP_PORT.</summary>
    public string? HttpEndpoint { get; set; }

    /// <summary>Sent as <c>dapr-api-token</c>; default from DAPR_API_TOKEN.</summary>
    public string? DaprApiToken { get; set; } = DaprDefaults.GetDefaultDaprApiToken();

    /// <summary>When set, the actor endpoints answer 401 unless the sidecar presents it as <c>dapr-api-token</c>; default from APP_API_TOKEN.</summary>
    public string? AppApiToken { get; set; } = DaprDefaults.GetDefaultAppApiToken();

    /// <summary>How many calls may queue in one actor's mailbox before callers wait.</summary>
    public int MailboxCapacity { get; set; } = 1024;
}
