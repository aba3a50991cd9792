using System.Net;
using System.Text;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>What SDK clients send over HTTP that daprd accepts: unclean paths and JSON field names in any case.</summary>
public sealed class HttpCompatibilityTests
{
    [Theory]
    [InlineData("//v1.0/metadata")]
    [InlineData("/v1.0/metadata/")]
    [InlineData("/v1.0//metadata")]
    [InlineData("/v1.0/./metadata")]
    public async Task UncleanPath_CleanedBeforeRouting(string path)
    {
        await using var sidecar = await TestSidecar.StartAsync("shop");
        var port = sidecar.Runtime.Apps.All[0].SidecarHttpPort;

        var response = await sidecar.Client.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"id\":\"shop\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_DoubleSlashesInMethod_AppSeesCleanPath()
    {
        await using var target = await TestApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync([("caller", null), ("target", target)]);
        var port = sidecar.Runtime.Apps.All[0].SidecarHttpPort;

        var response = await sidecar.Client.GetAsync(new Uri($"http://127.0.0.1:{port}//v1.0/invoke/target/method//orders//7/?q=1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(target.Requests);
        Assert.Equal("/orders/7", seen.Path);
        Assert.Equal("?q=1", seen.Query);
    }

    [Fact]
    public async Task StateBodies_FieldNamesInAnyCase_ReadAsDaprdReadsThem()
    {
        await using var sidecar = await TestSidecar.StartAsync("shop");

        var save = await sidecar.Client.PostAsync("v1.0/state/statestore", new StringContent("""[{"Key":"k","VALUE":{"a":1}}]""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, save.StatusCode);
        var bulk = await sidecar.Client.PostAsync("v1.0/state/statestore/bulk", new StringContent("""{"Keys":["k"]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        Assert.Contains("\"data\":{\"a\":1}", await bulk.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
