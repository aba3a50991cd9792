namespace Quoncept.Dapr.Tests.Client;

[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;

[Collection(nameof(EnvironmentCollection))]
public sealed class DaprDefaultsTests
{
    private static void With(string? port, string? endpoint, string? token, Action check)
    {
        var saved = (Environment.GetEnvironmentVariable("DAPR_HTTP_PORT"), Environment.GetEnvironmentVariable("DAPR_HTTP_ENDPOINT"), Environment.GetEnvironmentVariable("DAPR_API_TOKEN"));
        Environment.SetEnvironmentVariable("DAPR_HTTP_PORT", port);
        Environment.SetEnvironmentVariable("DAPR_HTTP_ENDPOINT", endpoint);
        Environment.SetEnvironmentVariable("DAPR_API_TOKEN", token);
        try
        {
            check();
        }
        finally
        {
            Environment.SetEnvironmentVariable("DAPR_HTTP_PORT", saved.Item1);
            Environment.SetEnvironmentVariable("DAPR_HTTP_ENDPOINT", saved.Item2);
            Environment.SetEnvironmentVariable("DAPR_API_TOKEN", saved.Item3);
        }
    }

    [Fact]
    public void Endpoint_NothingSet_Port3500() => With(null, null, null, () =>
        Assert.Equal(new Uri("http://127.0.0.1:3500"), DaprDefaults.GetDefaultHttpEndpoint()));

    [Fact]
    public void Endpoint_PortSet_Used() => With("3612", null, null, () =>
        Assert.Equal(new Uri("http://127.0.0.1:3612"), DaprDefaults.GetDefaultHttpEndpoint()));

    [Fact]
    public void Endpoint_EndpointWinsOverPort() => With("3612", "https://dapr.example:4443", null, () =>
        Assert.Equal(new Uri("https://dapr.example:4443"), DaprDefaults.GetDefaultHttpEndpoint()));

    [Theory]
    [InlineData("abc", null)]
    [InlineData("70000", null)]
    [InlineData(null, "not a url")]
    [InlineData(null, "ftp://x")]
    public void Endpoint_Invalid_ClearError(string? port, string? endpoint) => With(port, endpoint, null, () =>
    {
        var ex = Assert.Throws<DaprException>(DaprDefaults.GetDefaultHttpEndpoint);
        Assert.Contains(port is null ? "DAPR_HTTP_ENDPOINT" : "DAPR_HTTP_PORT", ex.Message);
    });

    [Fact]
    public void Token_FromEnvironment() => With(null, null, "tok", () => Assert.Equal("tok", DaprDefaults.GetDefaultDaprApiToken()));
}
