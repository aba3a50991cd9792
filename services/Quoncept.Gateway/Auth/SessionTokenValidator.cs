using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Quoncept.Contracts;
using Quoncept.Gateway.Connections;

namespace Quoncept.Gateway.Auth;

/// <summary>
/// Checks a Connect call's bearer token with the JwtBearer scheme's own token handlers and
/// validation parameters (signature, lifetime, issuer, audience) and reads the session identity
/// from it. Whether the session is still the current one is the session actor's call, not ours.
/// </summary>
internal sealed class SessionTokenValidator(IOptionsMonitor<JwtBearerOptions> jwtOptions)
{
    // Read once at construction so that a missing or short signing key fails start-up, not the first call.
    private readonly JwtBearerOptions _options = jwtOptions.Get(JwtBearerDefaults.AuthenticationScheme);

    private const string SubjectClaim = "sub";

    /// <summary>
    /// Reads "authorization: Bearer &lt;jwt&gt;" (RFC 6750 section 2.1: the scheme is case-insensitive,
    /// one space, then the token). Returns the identity, or null with a message for UNAUTHENTICATED.
    /// </summary>
    public async Task<(SessionIdentity? Identity, string Error)> ValidateAsync(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization)) return (null, "missing 'authorization: Bearer <token>' metadata");
        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || authorization.Length == scheme.Length)
        {
            return (null, "the authorization metadata must be 'Bearer <token>'");
        }
        return await ValidateTokenAsync(authorization[scheme.Length..].Trim()).ConfigureAwait(false);
    }

    /// <summary>The bare token (a browser sends it in its first WebSocket frame). Returns the identity, or null with a message for UNAUTHENTICATED.</summary>
    public async Task<(SessionIdentity? Identity, string Error)> ValidateTokenAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return (null, "the token is missing");
        var options = _options;
        var failure = "the token is not valid";
        foreach (var handler in options.TokenHandlers)
        {
            var result = await handler.ValidateTokenAsync(token, options.TokenValidationParameters).ConfigureAwait(false);
            if (result.IsValid) return Identify(result.ClaimsIdentity);
            failure = result.Exception switch
            {
                SecurityTokenExpiredException => "the token has expired",
                SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "the token's signature is not valid",
                SecurityTokenInvalidLifetimeException or SecurityTokenNotYetValidException => "the token is not valid at this time",
                _ => "the token is not valid",
            };
        }
        return (null, failure);
    }

    private static (SessionIdentity?, string) Identify(ClaimsIdentity identity)
    {
        var subject = identity.FindFirst(SubjectClaim)?.Value;
        var session = identity.FindFirst(SessionTokens.SessionIdClaim)?.Value;
        var name = identity.FindFirst(SessionTokens.NameClaim)?.Value;
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(session) || string.IsNullOrEmpty(name))
        {
            return (null, "the token lacks the sub, sid or name claim");
        }
        return (new SessionIdentity(subject, session, name), "");
    }
}
