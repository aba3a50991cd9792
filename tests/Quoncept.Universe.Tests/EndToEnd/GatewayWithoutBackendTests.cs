using System.Diagnostics;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Quoncept.Client;
using Quoncept.Contracts;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>
/// One gateway process whose sidecar is not there (DAPR_HTTP_PORT points at a closed port): the
/// calls that need the universe answer UNAVAILABLE, the ones that do not still work.
/// </summary>
public sealed class GatewayWithoutBackendTests : IAsyncLifetime
{
    private readonly string _key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
    private Process? _gateway;
    private QuonceptClient _client = null!;
    private Uri _address = null!;
    private Uri _web = null!;

    public async Task InitializeAsync()
    {
        var ports = FreePorts.Take(3);
        _address = new Uri($"http://127.0.0.1:{ports[0]}");
        _web = new Uri($"http://127.0.0.1:{ports[2]}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.Combine(RepoPaths.Root, "services/Quoncept.Gateway") };
        info.ArgumentList.Add(RepoPaths.AppDll("services/Quoncept.Gateway", "Quoncept.Gateway"));
        info.Environment["Quoncept__Gateway__Port"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Quoncept__Jwt__SigningKey"] = _key;
        info.Environment["Quoncept__Gateway__WebPort"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["DAPR_HTTP_PORT"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["DAPR_HTTP_ENDPOINT"] = $"http://127.0.0.1:{ports[1]}";
        _gateway = Process.Start(info)!;
        _gateway.OutputDataReceived += (_, _) => { };
        _gateway.ErrorDataReceived += (_, _) => { };
        _gateway.BeginOutputReadLine();
        _gateway.BeginErrorReadLine();
        _client = new QuonceptClient(_address);
        using var channel = GrpcChannel.ForAddress(_address);
        var health = new Health.HealthClient(channel);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                return;
            }
            catch (RpcException) when (attempt < 120 && !_gateway.HasExited)
            {
                await Task.Delay(250);
            }
        }
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_gateway is { HasExited: false } gateway)
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
        }
        _gateway?.Dispose();
    }

    [Fact]
    public async Task CreateSession_NoSidecar_IsUnavailable()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => _client.CreateSessionAsync("alice"));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    [Fact]
    public async Task GetSystem_NoSidecar_IsUnavailable()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => _client.GetSystemAsync("s0001"));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    [Fact]
    public async Task Connect_ValidTokenButNoSidecar_IsUnavailableBeforeAnyMessage()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => _client.ConnectAsync(new CreateSessionResponse { Token = ValidToken() }));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    [Fact]
    public async Task BrowserSocket_ValidTokenButNoSidecar_Closed4503TryAgain()
    {
        await using var client = await Browser.BrowserSocketClient.OpenAsync(_web);
        await client.SendAsync(new BrowserHello { Token = ValidToken(), ConnectionId = "web-no-sidecar" });
        var (code, reason) = await client.ClosedAsync();
        Assert.Equal(4503, code);
        Assert.Contains("try again", reason, StringComparison.Ordinal);
    }

    private string ValidToken() => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object> { ["sub"] = "c000001", ["sid"] = "s-1", ["name"] = "alice", ["iss"] = SessionTokens.Issuer, ["aud"] = SessionTokens.Audience },
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_key)), SecurityAlgorithms.HmacSha256),
    });

    [Fact]
    public async Task Connect_NoToken_IsStillUnauthenticated()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => _client.ConnectAsync(new CreateSessionResponse { Token = "" }));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }
}
