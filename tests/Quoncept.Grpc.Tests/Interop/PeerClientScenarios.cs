namespace Quoncept.Grpc.Tests.Interop;

/// <summary>
/// The scenarios every real gRPC client peer plays against our server; a subclass names the peer and
/// how to run one scenario (a child process that prints "OK {scenario}" and exits 0).
/// </summary>
public abstract class PeerClientScenarios : IAsyncLifetime
{
    private GrpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GrpcTestHost.StartAsync(o => o.ResponseCompressionAlgorithm = null);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Runs one scenario of the peer against <paramref name="target"/> and returns its exit code and output.</summary>
    protected abstract Task<(int ExitCode, string Output)> RunPeerAsync(string target, string scenario, string? rootCertificate);

    private async Task RunAsync(string scenario, GrpcTestHost? host = null, string? rootCertificate = null)
    {
        var (exitCode, output) = await RunPeerAsync((host ?? _host).Target, scenario, rootCertificate);
        Assert.True(exitCode == 0 && output.Contains("OK " + scenario, StringComparison.Ordinal), $"{GetType().Name} scenario '{scenario}' failed (exit {exitCode}):\n{output}");
    }

    [Fact]
    public Task Unary_Succeeds() => RunAsync("unary");

    [Fact]
    public async Task TlsWithAlpnH2_Succeeds()
    {
        using var certificate = GrpcTestHost.CreateSelfSignedCertificate();
        await using var tlsHost = await GrpcTestHost.StartAsync(certificate: certificate);
        var pem = Path.Combine(Path.GetTempPath(), $"quoncept-grpc-root-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem());
        try
        {
            await RunAsync("tls", tlsHost, pem);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public Task ServerStreaming_Succeeds() => RunAsync("server_stream");

    [Fact]
    public Task ClientStreaming_Succeeds() => RunAsync("client_stream");

    [Fact]
    public Task Bidirectional_Succeeds() => RunAsync("bidi");

    [Fact]
    public async Task Deadline_IsDeadlineExceededAndServerCancels()
    {
        _host.Probe.Reset();
        await RunAsync("deadline");
        Assert.Equal("set", await _host.Probe.SlowStarted.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("cancelled", await _host.Probe.SlowEnded.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Cancel_ServerHandlerIsCancelled()
    {
        _host.Probe.Reset();
        await RunAsync("cancel");
        Assert.Equal("cancelled", await _host.Probe.SlowEnded.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public Task MetadataTextAndBinary_RoundTrip() => RunAsync("metadata");

    [Fact]
    public async Task Gzip_BothDirections()
    {
        await using var gzipHost = await GrpcTestHost.StartAsync(o => o.ResponseCompressionAlgorithm = "gzip");
        await RunAsync("gzip", gzipHost);
        Assert.Equal("gzip", gzipHost.Probe.LastRequestEncoding);
    }

    [Fact]
    public Task ErrorStatus_CodeAndUnicodeDetail() => RunAsync("error_status");

    [Fact]
    public Task StreamError_MessagesThenStatus() => RunAsync("stream_error");

    [Fact]
    public Task Unimplemented_MethodAndService() => RunAsync("unimplemented");

    [Fact]
    public Task OversizedRequest_IsResourceExhausted() => RunAsync("resource_exhausted");

    [Fact]
    public Task Health_CheckAndWatch() => RunAsync("health");
}
