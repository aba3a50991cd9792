using System.Globalization;
using Quoncept.Contracts;

namespace Quoncept.Sessions.Sessions;

/// <summary>Session settings from configuration (<see cref="ConfigKeys.SessionGracePeriod"/>).</summary>
internal sealed record SessionPolicy(TimeSpan GracePeriod)
{
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(30);

    /// <summary>How often a grace reminder fires again when logging the character out failed.</summary>
    public static readonly TimeSpan GraceRetryPeriod = TimeSpan.FromSeconds(10);

    public static SessionPolicy FromConfiguration(IConfiguration configuration)
    {
        var text = configuration[ConfigKeys.SessionGracePeriod];
        if (text is null)
        {
            return new SessionPolicy(DefaultGracePeriod);
        }

        if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var grace) || grace < TimeSpan.FromMilliseconds(100) || grace > TimeSpan.FromHours(24))
        {
            throw new InvalidOperationException($"Configuration '{ConfigKeys.SessionGracePeriod}' is '{text}'; write a TimeSpan between 00:00:00.1 and 1.00:00:00, such as 00:00:30.");
        }

        return new SessionPolicy(grace);
    }
}
