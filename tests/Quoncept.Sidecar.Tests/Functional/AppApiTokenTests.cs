using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>
/// APP_API_TOKEN: the app channel puts it in <c>dapr-api-token</c> on every call into the app but health probes,
/// as daprd's HTTP app channel does (the runtime reads the variable once at start, so this drives the channel itself;
/// tests/Quoncept.Conformance.Tests runs the runtime with it against an app that requires it).
/// </summary>
public sealed class AppApiTokenTests
{
    [Fact]
    public async Task AppChannel_WithAppToken_EveryCallCarriesItInsteadOfTheCallersToken()
    {
        await using var app = await TestApp.StartAsync();
        using var channel = AppChannel.Create(app.Port, TimeSpan.FromSeconds(10), "app-secret");

        using var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("dapr-api-token", "the-callers-dapr-token");
        using var response = await channel.SendAsync(request);

        var seen = Assert.Single(await app.WaitForAsync(r => r.Path == "/orders", 1));
        Assert.Equal("app-secret", seen.Headers["dapr-api-token"]);
    }

    [Fact]
    public async Task AppChannel_HealthProbe_GoesWithoutTheAppToken()
    {
        await using var app = await TestApp.StartAsync();
        using var channel = AppChannel.Create(app.Port, TimeSpan.FromSeconds(10), "app-secret");

        using var probe = new HttpRequestMessage(HttpMethod.Get, "healthz");
        probe.Options.Set(AppChannel.HealthProbe, true);
        using var response = await channel.SendAsync(probe);

        var seen = Assert.Single(await app.WaitForAsync(r => r.Path == "/healthz", 1));
        Assert.False(seen.Headers.ContainsKey("dapr-api-token"));
    }

    [Fact]
    public async Task AppChannel_WithoutAppToken_AddsNone()
    {
        await using var app = await TestApp.StartAsync();
        using var channel = AppChannel.Create(app.Port, TimeSpan.FromSeconds(10));

        using var response = await channel.GetAsync("plain");

        var seen = Assert.Single(await app.WaitForAsync(r => r.Path == "/plain", 1));
        Assert.False(seen.Headers.ContainsKey("dapr-api-token"));
    }
}
