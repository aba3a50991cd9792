namespace Quoncept.Sidecar.Actors.Hosting;

/// <summary>
/// The per-type settings an app announces in <c>GET /dapr/config</c> (root values, overridden per type
/// by <c>entitiesConfig</c>). Defaults are daprd's.
/// </summary>
internal sealed record ActorTypeOptions(
    TimeSpan IdleTimeout,
    TimeSpan DrainOngoingCallTimeout,
    bool DrainRebalancedActors,
    bool Reentrancy,
    int MaxStackDepth)
{
    /// <summary>As the app sent it (any integer); the reminder store clamps it, see <c>ReminderService.ClampPartitions</c>.</summary>
    public int RemindersStoragePartitions { get; init; }

    public static readonly ActorTypeOptions Default = new(
        IdleTimeout: TimeSpan.FromMinutes(60),
        DrainOngoingCallTimeout: TimeSpan.FromSeconds(60),
        DrainRebalancedActors: true,
        Reentrancy: false,
        MaxStackDepth: 32);
}
