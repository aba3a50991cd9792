using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quoncept.Contracts;

namespace Quoncept.ServiceDefaults.Options;

/// <summary>
/// Configuration section "Quoncept:Jwt": the HS256 key the sessions app signs session tokens with
/// and the gateway checks them with (the same secret in both), and the tokens' lifetime.
/// </summary>
public sealed class SessionTokenOptions
{
    public const string Section = "Quoncept:Jwt";

    /// <summary>Env Quoncept__Jwt__SigningKey: at least <see cref="SessionTokens.MinimumKeyBytes"/> bytes of UTF-8.</summary>
    public string? SigningKey { get; set; }

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The key; only call after validation (it throws on a missing or short key).</summary>
    public byte[] KeyBytes() => SessionTokens.KeyBytes(SigningKey);

    /// <summary>Binds the section and checks it at start: a missing or short key, or a lifetime outside 1 s..30 d, stops the process.</summary>
    public static IServiceCollection Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionTokenOptions>().Bind(configuration.GetSection(Section))
            .Check(o =>
            {
                try
                {
                    o.KeyBytes();
                    return null;
                }
                catch (InvalidOperationException e)
                {
                    return e.Message;
                }
            })
            .Check(o => o.Lifetime < TimeSpan.FromSeconds(1) || o.Lifetime > TimeSpan.FromDays(30)
                ? $"{Section}:Lifetime must be between 00:00:01 and 30.00:00:00, got {o.Lifetime:c}"
                : null)
            .ValidateOnStart();
        return services;
    }
}
