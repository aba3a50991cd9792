using System.IdentityModel.Tokens.Jwt;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Options;
using Quoncept.Sessions.Tokens;

namespace Quoncept.Universe.Tests.Domain;

public sealed class SessionTokenIssuerTests
{
    private const string Key = "test-only-signing-key-of-32-bytes-or-more!";

    /// <summary>The issuer as the sessions app builds it: options bound from configuration and checked.</summary>
    private static SessionTokenIssuer Issuer(string? key, string? lifetime = null)
    {
        var settings = new Dictionary<string, string?> { [ConfigKeys.JwtSigningKey] = key };
        if (lifetime is not null) settings[ConfigKeys.JwtLifetime] = lifetime;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = SessionTokenOptions.Register(new ServiceCollection(), configuration).BuildServiceProvider();
        return new SessionTokenIssuer(services.GetRequiredService<IOptions<SessionTokenOptions>>(), TimeProvider.System);
    }

    [Fact]
    public void Issue_ValidKey_TokenValidatesWithTheContractParameters()
    {
        var issuer = Issuer(Key);
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
        var (token, _) = Issuer(Key).Issue("alice", "c1", "s1");
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
    public void Options_MissingOrShortKey_ActionableError(string? key, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Issuer(key));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(ConfigKeys.JwtSigningKey, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-00:01:00")]
    [InlineData("31.00:00:00")]
    public void Options_BadLifetime_ActionableError(string lifetime)
    {
        // Unparsable text fails the binder (InvalidOperationException naming the key); a parsable one out of range fails the check.
        var error = Assert.ThrowsAny<Exception>(() => Issuer(Key, lifetime));
        Assert.True(error is InvalidOperationException or OptionsValidationException, error.ToString());
        Assert.Contains(ConfigKeys.JwtLifetime, error.Message, StringComparison.Ordinal);
    }
}
