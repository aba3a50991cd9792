using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Options;

namespace Quoncept.Gateway.Auth;

/// <summary>
/// The JwtBearer scheme's validation parameters: the key the sessions app signs with
/// (<see cref="SessionTokenOptions"/>, checked at start) and the issuer, audience and algorithm of <see cref="SessionTokens"/>.
/// </summary>
internal static class JwtConfiguration
{
    public static IServiceCollection AddSessionTokens(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<SessionTokenOptions>>((options, tokens) =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                IssuerSigningKey = new SymmetricSecurityKey(tokens.Value.KeyBytes()),
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
