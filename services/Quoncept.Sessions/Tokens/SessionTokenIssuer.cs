using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using Quoncept.Contracts;

namespace Quoncept.Sessions.Tokens;

/// <summary>
/// Signs session tokens: HS256 JWTs with iss/aud from <see cref="SessionTokens"/>, sub = character
/// id, sid = session id, name = username, exp = now + lifetime (RFC 7519). The key comes from
/// configuration <see cref="ConfigKeys.JwtSigningKey"/>; the gateway validates with the same key.
/// </summary>
internal sealed class SessionTokenIssuer
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private readonly SigningCredentials _credentials;
    private readonly JwtSecurityTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _time;

    public SessionTokenIssuer(byte[] key, TimeSpan lifetime, TimeProvider time)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(30))
        {
            throw new InvalidOperationException($"Configuration '{ConfigKeys.JwtLifetime}' must be between 00:00:01 and 30.00:00:00, got {lifetime}.");
        }

        _credentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256);
        Lifetime = lifetime;
        _time = time;
    }

    public TimeSpan Lifetime { get; }

    public static SessionTokenIssuer FromConfiguration(IConfiguration configuration, TimeProvider time)
    {
        var lifetimeText = configuration[ConfigKeys.JwtLifetime];
        var lifetime = DefaultLifetime;
        if (lifetimeText is not null && !TimeSpan.TryParse(lifetimeText, System.Globalization.CultureInfo.InvariantCulture, out lifetime))
        {
            throw new InvalidOperationException($"Configuration '{ConfigKeys.JwtLifetime}' is '{lifetimeText}'; write a TimeSpan such as 01:00:00.");
        }

        return new SessionTokenIssuer(SessionTokens.KeyBytes(configuration[ConfigKeys.JwtSigningKey]), lifetime, time);
    }

    /// <returns>The compact JWT and its expiry in Unix milliseconds.</returns>
    public (string Token, long ExpiresAtUnixMs) Issue(string username, string characterId, string sessionId)
    {
        var now = _time.GetUtcNow();
        // JWT times are whole seconds: report the expiry the token really carries.
        var expires = DateTimeOffset.FromUnixTimeSeconds((now + Lifetime).ToUnixTimeSeconds());
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = SessionTokens.Issuer,
            Audience = SessionTokens.Audience,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, characterId),
                new Claim(SessionTokens.SessionIdClaim, sessionId),
                new Claim(SessionTokens.NameClaim, username),
            ]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = _credentials,
        };
        return (_handler.CreateEncodedJwt(descriptor), expires.ToUnixTimeMilliseconds());
    }
}
