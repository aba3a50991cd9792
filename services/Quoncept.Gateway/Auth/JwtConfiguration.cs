using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Quoncept.Contracts;

namespace Quoncept.Gateway.Auth;

/// <summary>
/// The JwtBearer scheme's validation parameters: the key the sessions app signs with
/// (<see cref="ConfigKeys.JwtSigningKey"/>) and the issuer, audience and algorithm of <see cref="SessionTokens"/>.
/// </summary>
internal static class JwtConfiguration
{
    public static IServiceCollection AddSessionTokens(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            var key = SessionTokens.KeyBytes(configuration[ConfigKeys.JwtSigningKey]);
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                IssuerSigningKey = new SymmetricSecurityKey(key),
                ValidateIssuerSigningKey = true,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(5),
                ValidIssuer = SessionTokens.Issuer,
                ValidAudience = SessionTokens.Audience,
            };
        });
        services.AddSingleton<SessionTokenValidator>();
        return services;
    }
}
