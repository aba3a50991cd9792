using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Options;

namespace Quoncept.Sessions.Tokens;

/// <summary>
/// Signs session tokens: HS256 JWTs with iss/aud from <see cref="SessionTokens"/>, sub = character
/// id, sid = session id, name = username, exp = now + lifetime (RFC 7519). The key comes from
/// <see cref="SessionTokenOptions"/>; the gateway validates with the same key.
/// </summary>
internal sealed class SessionTokenIssuer
{
    private readonly SigningCredentials _credentials;
    private readonly JwtSecurityTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _time;

    /// <param name="options">Validated at start (<see cref="SessionTokenOptions.Register"/>).</param>
    public SessionTokenIssuer(IOptions<SessionTokenOptions> options, TimeProvider time)
    {
        _credentials = new SigningCredentials(new SymmetricSecurityKey(options.Value.KeyBytes()), SecurityAlgorithms.HmacSha256);
        Lifetime = options.Value.Lifetime;
        _time = time;
    }

    public TimeSpan Lifetime { get; }

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
