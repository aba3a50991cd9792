using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Options;
using Quoncept.Sessions.Api;
using Quoncept.Sessions.Directory;
using Quoncept.Sessions.Tokens;

namespace Quoncept.Universe.Tests.Domain;

/// <summary>POST /sessions on Kestrel (127.0.0.1, free port), its SessionActor in the test host.</summary>
public sealed class OpenSessionEndpointTests : IAsyncLifetime
{
    private const string Key = "test-only-signing-key-of-32-bytes-or-more!";
    private readonly UniverseSandbox _u = new();
    private readonly TempFiles _files = new();
    private WebApplication? _app;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(UserDirectory.Load(_files.Write("users.tsv", "username\tcharacter_id\nalice\tc1\nbob\tc2\n")));
        builder.Services.AddSingleton(_u.Host.ProxyFactory);
        builder.Services.AddSingleton(new SessionTokenIssuer(Microsoft.Extensions.Options.Options.Create(new SessionTokenOptions { SigningKey = Key, Lifetime = TimeSpan.FromMinutes(5) }), TimeProvider.System));
        _app = builder.Build();
        _app.MapOpenSession();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _u.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task Post_KnownUser_GrantWithSignedTokenForTheCurrentSession()
    {
        using var response = await _http.PostAsJsonAsync("/sessions", new { username = "alice" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var grant = (await response.Content.ReadFromJsonAsync<SessionGrant>())!;

        Assert.Equal(("c1", "alice"), (grant.CharacterId, grant.Username));
        var token = new JwtSecurityTokenHandler().ReadJwtToken(grant.Token);
        Assert.Equal((grant.CharacterId, grant.SessionId), (token.Subject, token.Claims.Single(c => c.Type == SessionTokens.SessionIdClaim).Value));
        Assert.Equal(grant.SessionId, (await _u.Session("alice").GetStatusAsync()).SessionId);
    }

    [Fact]
    public async Task Post_SameUserTwice_SecondGrantReplacesTheFirst()
    {
        var first = await (await _http.PostAsJsonAsync("/sessions", new { username = "bob" })).Content.ReadFromJsonAsync<SessionGrant>();
        var second = await (await _http.PostAsJsonAsync("/sessions", new { username = "bob" })).Content.ReadFromJsonAsync<SessionGrant>();

        Assert.NotEqual(first!.SessionId, second!.SessionId);
        var ended = Assert.Single(_u.Probe.Live.OfType<SessionEnded>());
        Assert.Equal(first.SessionId, ended.SessionId);
    }

    [Fact]
    public async Task Post_UnknownUser_404NotFound()
    {
        using var response = await _http.PostAsJsonAsync("/sessions", new { username = "mallory" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var failure = await response.Content.ReadFromJsonAsync<Failure>();
        Assert.Equal(FailureCode.NotFound, failure!.Code);
        Assert.Contains("mallory", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"username\":\"\"}")]
    [InlineData("{\"username\":null}")]
    [InlineData("{\"username\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}")]
    [InlineData("{\"username\":")]
    [InlineData("[1,2]")]
    public async Task Post_MalformedBody_400InvalidArgument(string body)
    {
        using var response = await _http.PostAsync("/sessions", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(FailureCode.InvalidArgument, (await response.Content.ReadFromJsonAsync<Failure>())!.Code);
    }

    [Fact]
    public async Task Post_NotJson_415()
    {
        using var response = await _http.PostAsync("/sessions", new StringContent("username=alice", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
