namespace Quoncept.ServiceDefaults.Hosting;

/// <summary>Configuration section "Quoncept:Dapr".</summary>
internal sealed class SidecarWaitOptions
{
    public const string Section = "Quoncept:Dapr";

    public TimeSpan SidecarWaitTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
