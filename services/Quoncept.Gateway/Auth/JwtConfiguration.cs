using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Quoncept.Gateway.Auth;

/// <summary>
/// The JwtBearer scheme's validation parameters from configuration "Quoncept:Jwt" (SigningKey,
/// Issuer, Audience), the same section the sessions service signs with.
/// </summary>
internal static class JwtConfiguration
{
    public const string Section = "Quoncept:Jwt";

    public static IServiceCollection AddSessionTokens(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            var section = configuration.GetSection(Section);
            var key = section["SigningKey"];
            if (string.IsNullOrEmpty(key) || Encoding.UTF8.GetByteCount(key) < 32)
            {
                throw new InvalidOperationException($"{Section}:SigningKey must be set to at least 32 bytes (e.g. environment variable Quoncept__Jwt__SigningKey); it must equal the sessions service's key.");
            }
            var issuer = section["Issuer"];
            var audience = section["Audience"];
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)),
                ValidateIssuerSigningKey = true,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(5),
                ValidateIssuer = !string.IsNullOrEmpty(issuer),
                ValidIssuer = issuer,
                ValidateAudience = !string.IsNullOrEmpty(audience),
                ValidAudience = audience,
            };
        });
        services.AddSingleton<SessionTokenValidator>();
        return services;
    }
}
