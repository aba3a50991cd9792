namespace Quoncept.Grpc.Tests.Interop;

/// <summary>Python grpcio (Debian python3-grpcio, /usr/bin/python3) calling our server.</summary>
public sealed class GrpcioClientTests : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private GrpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GrpcTestHost.StartAsync(o => o.ResponseCompressionAlgorithm = null);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task RunAsync(string scenario, GrpcTestHost? host = null, string? rootCertificate = null)
    {
        string[] arguments = ["grpcio_client.py", (host ?? _host).Target, RepoPaths.DescriptorSet, scenario, .. rootCertificate is null ? Array.Empty<string>() : [rootCertificate]];
        var (exitCode, output) = await PeerProcess.RunAsync(Python, RepoPaths.GrpcioScripts, TimeSpan.FromSeconds(30), arguments);
        Assert.True(exitCode == 0 && output.Contains("OK " + scenario, StringComparison.Ordinal), $"grpcio scenario '{scenario}' failed (exit {exitCode}):\n{output}");
    }

    [Fact]
    public Task Grpcio_Unary_Succeeds() => RunAsync("unary");

    [Fact]
    public async Task Grpcio_TlsWithAlpnH2_Succeeds()
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
    public Task Grpcio_ServerStreaming_Succeeds() => RunAsync("server_stream");

    [Fact]
    public Task Grpcio_ClientStreaming_Succeeds() => RunAsync("client_stream");

    [Fact]
    public Task Grpcio_Bidirectional_Succeeds() => RunAsync("bidi");

    [Fact]
    public async Task Grpcio_Deadline_IsDeadlineExceededAndServerCancels()
    {
        _host.Probe.Reset();
        await RunAsync("deadline");
        Assert.Equal("set", await _host.Probe.SlowStarted.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("cancelled", await _host.Probe.SlowEnded.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Grpcio_Cancel_ServerHandlerIsCancelled()
    {
        _host.Probe.Reset();
        await RunAsync("cancel");
        Assert.Equal("cancelled", await _host.Probe.SlowEnded.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public Task Grpcio_MetadataTextAndBinary_RoundTrip() => RunAsync("metadata");

    [Fact]
    public async Task Grpcio_Gzip_BothDirections()
    {
        await using var gzipHost = await GrpcTestHost.StartAsync(o => o.ResponseCompressionAlgorithm = "gzip");
        await RunAsync("gzip", gzipHost);
        Assert.Equal("gzip", gzipHost.Probe.LastRequestEncoding);
    }

    [Fact]
    public Task Grpcio_ErrorStatus_CodeAndUnicodeDetail() => RunAsync("error_status");

    [Fact]
    public Task Grpcio_StreamError_MessagesThenStatus() => RunAsync("stream_error");

    [Fact]
    public Task Grpcio_Unimplemented_MethodAndService() => RunAsync("unimplemented");

    [Fact]
    public Task Grpcio_OversizedRequest_IsResourceExhausted() => RunAsync("resource_exhausted");

    [Fact]
    public Task Grpcio_Health_CheckAndWatch() => RunAsync("health");
}
