using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Quoncept.Contracts;
using Quoncept.Gateway.Auth;
using Quoncept.ServiceDefaults.Options;

namespace Quoncept.Universe.Tests.Gateway;

public sealed class SessionTokenValidatorTests
{
    private const string Key = "test-signing-key-0123456789-abcdefghijklmnop";

    private static SessionTokenValidator NewValidator(string key = Key)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Quoncept:Jwt:SigningKey"] = key })
            .Build();
        var services = SessionTokenOptions.Register(new ServiceCollection().AddLogging(), configuration).AddSessionTokens().BuildServiceProvider();
        return services.GetRequiredService<SessionTokenValidator>();
    }

    private static string Token(string key = Key, TimeSpan? lifetime = null, bool withSession = true)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "c-1", ["name"] = "alice", ["iss"] = SessionTokens.Issuer, ["aud"] = SessionTokens.Audience };
        if (withSession) claims["sid"] = "s-1";
        var now = DateTime.UtcNow;
        var life = lifetime ?? TimeSpan.FromHours(1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now + life - TimeSpan.FromHours(2),
            NotBefore = now + life - TimeSpan.FromHours(2),
            Expires = now + life,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }

    [Fact]
    public async Task ValidateAsync_ValidToken_ReturnsIdentityFromClaims()
    {
        var (identity, _) = await NewValidator().ValidateAsync("Bearer " + Token());
        Assert.Equal(new("c-1", "s-1", "alice"), identity);
    }

    [Fact]
    public async Task ValidateAsync_LowercaseScheme_IsAccepted()
    {
        var (identity, _) = await NewValidator().ValidateAsync("bearer " + Token());
        Assert.NotNull(identity);
    }

    [Fact]
    public async Task ValidateAsync_ExpiredToken_SaysExpired()
    {
        var (identity, error) = await NewValidator().ValidateAsync("Bearer " + Token(lifetime: TimeSpan.FromMinutes(-5)));
        Assert.Null(identity);
        Assert.Contains("expired", error);
    }

    [Fact]
    public async Task ValidateAsync_OtherKey_SaysSignature()
    {
        var (identity, error) = await NewValidator().ValidateAsync("Bearer " + Token(key: "another-signing-key-0123456789-abcdefghijklmn"));
        Assert.Null(identity);
        Assert.Contains("signature", error);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("", "missing")]
    [InlineData("Basic abc", "Bearer <token>")]
    [InlineData("Bearer ", "Bearer <token>")]
    [InlineData("Bearer not-a-jwt", "not valid")]
    public async Task ValidateAsync_MalformedHeader_IsRejectedWithReason(string? header, string expected)
    {
        var (identity, error) = await NewValidator().ValidateAsync(header);
        Assert.Null(identity);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task ValidateAsync_OtherAudience_IsRejected()
    {
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "c-1", ["sid"] = "s-1", ["name"] = "alice", ["iss"] = SessionTokens.Issuer, ["aud"] = "someone-else" },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Key)), SecurityAlgorithms.HmacSha256),
        });
        var (identity, _) = await NewValidator().ValidateAsync("Bearer " + token);
        Assert.Null(identity);
    }

    [Fact]
    public async Task ValidateAsync_NoSessionClaim_IsRejected()
    {
        var (identity, error) = await NewValidator().ValidateAsync("Bearer " + Token(withSession: false));
        Assert.Null(identity);
        Assert.Contains("sid", error);
    }

    [Fact]
    public void AddSessionTokens_ShortKey_FailsWithActionableMessage()
    {
        var e = Assert.Throws<OptionsValidationException>(() => NewValidator(key: "short"));
        Assert.Contains("HS256 needs at least 32", e.Message);
        Assert.Contains("Quoncept:Jwt:SigningKey", e.Message);
    }
}
