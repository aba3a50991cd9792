using System.IdentityModel.Tokens.Jwt;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;
using Quoncept.Contracts;
using Quoncept.Sessions.Tokens;

namespace Quoncept.Universe.Tests.Domain;

public sealed class SessionTokenIssuerTests
{
    private const string Key = "test-only-signing-key-of-32-bytes-or-more!";

    private static IConfiguration Config(string? key, string? lifetime = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ConfigKeys.JwtSigningKey] = key,
            [ConfigKeys.JwtLifetime] = lifetime,
        }).Build();

    [Fact]
    public void Issue_ValidKey_TokenValidatesWithTheContractParameters()
    {
        var issuer = SessionTokenIssuer.FromConfiguration(Config(Key), TimeProvider.System);
        var (token, expiresAt) = issuer.Issue("alice", "c000001", "session-1");
        var principal = new JwtSecurityTokenHandler { MapInboundClaims = false }.ValidateToken(token, new TokenValidationParameters
        {
            ValidIssuer = SessionTokens.Issuer,
            ValidAudience = SessionTokens.Audience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Key)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        }, out var validated);
        Assert.Equal("c000001", principal.FindFirst(JwtRegisteredClaimNames.Sub)!.Value);
        Assert.Equal("session-1", principal.FindFirst(SessionTokens.SessionIdClaim)!.Value);
        Assert.Equal("alice", principal.FindFirst(SessionTokens.NameClaim)!.Value);
        Assert.Equal(expiresAt, new DateTimeOffset(validated.ValidTo, TimeSpan.Zero).ToUnixTimeMilliseconds());
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 3_590_000, 3_600_000);
    }

    [Fact]
    public void Issue_OtherKey_SignatureRejected()
    {
        var (token, _) = SessionTokenIssuer.FromConfiguration(Config(Key), TimeProvider.System).Issue("alice", "c1", "s1");
        Assert.ThrowsAny<SecurityTokenException>(() => new JwtSecurityTokenHandler().ValidateToken(token, new TokenValidationParameters
        {
            ValidIssuer = SessionTokens.Issuer,
            ValidAudience = SessionTokens.Audience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Key + "-other")),
        }, out _));
    }

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("short", "is 5 bytes; HS256 needs at least 32")]
    public void FromConfiguration_MissingOrShortKey_ActionableError(string? key, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SessionTokenIssuer.FromConfiguration(Config(key), TimeProvider.System));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(ConfigKeys.JwtSigningKey, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-00:01:00")]
    public void FromConfiguration_BadLifetime_ActionableError(string lifetime)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SessionTokenIssuer.FromConfiguration(Config(Key, lifetime), TimeProvider.System));
        Assert.Contains(ConfigKeys.JwtLifetime, error.Message, StringComparison.Ordinal);
    }
}
