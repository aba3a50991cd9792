using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.PubSub;
using Quoncept.Sidecar.Runner;
using Quoncept.Sidecar.Tracing;

namespace Quoncept.Sidecar.Hosting;

/// <summary>Everything the host needs, resolved from the command line and the files it names.</summary>
internal sealed record SidecarSetup(
    AppRegistry Apps,
    ComponentRegistry Components,
    IReadOnlyList<SubscriptionSpec> DeclarativeSubscriptions,
    TracingOptions Tracing,
    TimeProvider Time,
    LogLevel LogLevel,
    long MaxRequestBodyBytes)
{
    public DeliveryPolicy Delivery { get; init; } = DeliveryPolicy.Default;

    public TimeSpan HealthProbeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How apps started from the run file are restarted when they exit on their own.</summary>
    public RestartPolicy Restarts { get; init; } = RestartPolicy.Default;

    /// <summary>Instance id → app health path (run file <c>appHealthCheckPath</c>); others are probed by TCP connect.</summary>
    public IReadOnlyDictionary<string, string> HealthCheckPaths { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// <c>DAPR_API_TOKEN</c> of the runtime's environment: when set, every API call must carry it in
    /// <c>dapr-api-token</c> and apps started from a run file get it. Null: no token (as with daprd).
    /// </summary>
    public string? ApiToken { get; init; }

    /// <summary>Per-instance value of the <c>{uuid}</c> consumerID template, fixed for this run.</summary>
    public IReadOnlyDictionary<string, string> InstanceUuids { get; init; } = new Dictionary<string, string>();
}
