using Microsoft.Extensions.Options;
using Quoncept.ServiceDefaults.Options;

namespace Quoncept.Sessions.Sessions;

/// <summary>Configuration section "Quoncept:Sessions" (env Quoncept__Sessions__GracePeriod).</summary>
internal sealed class SessionPolicy
{
    public const string Section = "Quoncept:Sessions";

    public static readonly TimeSpan MinimumGracePeriod = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaximumGracePeriod = TimeSpan.FromHours(24);

    /// <summary>How often a grace reminder fires again when logging the character out failed.</summary>
    public static readonly TimeSpan GraceRetryPeriod = TimeSpan.FromSeconds(10);

    /// <summary>How long a dropped connection may take to come back before its character is logged out.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Binds the section and checks it at start.</summary>
    public static OptionsBuilder<SessionPolicy> Register(IServiceCollection services, IConfiguration configuration) =>
        services.AddOptions<SessionPolicy>().Bind(configuration.GetSection(Section))
            .Check(p => p.GracePeriod < MinimumGracePeriod || p.GracePeriod > MaximumGracePeriod
                ? $"{Section}:GracePeriod must be between 00:00:00.1 and 1.00:00:00, such as 00:00:30; got {p.GracePeriod:c}"
                : null)
            .ValidateOnStart();
}
