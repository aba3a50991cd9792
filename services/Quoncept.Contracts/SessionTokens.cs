using System.Text;

namespace Quoncept.Contracts;

/// <summary>
/// What a session token (an HS256 JWT issued by the sessions app) contains, so that the
/// gateway validates exactly what the sessions app signs:
/// iss = <see cref="Issuer"/>, aud = <see cref="Audience"/>, sub = character id,
/// sid = session id, name = username, iat/nbf/exp.
/// </summary>
public static class SessionTokens
{
    public const string Issuer = "quoncept-sessions";
    public const string Audience = "quoncept-gateway";
    public const string SessionIdClaim = "sid";
    public const string NameClaim = "name";
    public const string Algorithm = "HS256";
    public const int MinimumKeyBytes = 32;

    /// <summary>
    /// The signing key from its configured text (<see cref="ConfigKeys.JwtSigningKey"/>).
    /// Throws with an actionable message when it is missing or shorter than 32 bytes.
    /// </summary>
    public static byte[] KeyBytes(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                $"Configuration '{ConfigKeys.JwtSigningKey}' (env Quoncept__Jwt__SigningKey) is not set: " +
                $"give the sessions app and the gateway the same secret of at least {MinimumKeyBytes} bytes.");
        }

        var bytes = Encoding.UTF8.GetBytes(configured);
        if (bytes.Length < MinimumKeyBytes)
        {
            throw new InvalidOperationException(
                $"Configuration '{ConfigKeys.JwtSigningKey}' is {bytes.Length} bytes; HS256 needs at least {MinimumKeyBytes}.");
        }

        return bytes;
    }
}
