namespace Quoncept.Grpc.Tests.Interop;

/// <summary>@grpc/grpc-js (npm, tests/node/grpc-interop) calling our server.</summary>
public sealed class GrpcJsClientTests : IAsyncLifetime
{
    private GrpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GrpcTestHost.StartAsync(o => o.ResponseCompressionAlgorithm = null);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task RunAsync(string scenario, GrpcTestHost? host = null, string? rootCertificate = null)
    {
        Assert.True(
            Directory.Exists(Path.Combine(RepoPaths.NodeInterop, "node_modules", "@grpc", "grpc-js")),
            "@grpc/grpc-js is not installed in tests/node/grpc-interop: run ./test.sh (it runs npm ci there).");
        string[] arguments = ["client.mjs", (host ?? _host).Target, Path.Combine(RepoPaths.Root, "protos"), scenario, .. rootCertificate is null ? Array.Empty<string>() : [rootCertificate]];
        var (exitCode, output) = await PeerProcess.RunAsync("node", RepoPaths.NodeInterop, TimeSpan.FromSeconds(30), arguments);
        Assert.True(exitCode == 0 && output.Contains("OK " + scenario, StringComparison.Ordinal), $"grpc-js scenario '{scenario}' failed (exit {exitCode}):\n{output}");
    }

    [Fact]
    public Task GrpcJs_Unary_Succeeds() => RunAsync("unary");

    [Fact]
    public async Task GrpcJs_TlsWithAlpnH2_Succeeds()
    {
        using var certificate = GrpcTestHost.CreateSelfSignedCertificate();
        await using var tlsHost = await GrpcTestHost.StartAsync(certificate: certificate);
        var pem = Path.Combine(Path.GetTempPath(), $"quoncept-grpcjs-root-{Guid.NewGuid():N}.pem");
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
    public Task GrpcJs_ServerStreaming_Succeeds() => RunAsync("server_stream");

    [Fact]
    public Task GrpcJs_ClientStreaming_Succeeds() => RunAsync("client_stream");

    [Fact]
    public Task GrpcJs_Bidirectional_Succeeds() => RunAsync("bidi");

    [Fact]
    public async Task GrpcJs_Deadline_IsDeadlineExceededAndServerCancels()
    {
        _host.Probe.Reset();
        await RunAsync("deadline");
        Assert.Equal("set", await _host.Probe.SlowStarted.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("cancelled", await _host.Probe.SlowEnded.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task GrpcJs_Cancel_ServerHandlerIsCancelled()
    {
        _host.Probe.Reset();
        await RunAsync("cancel");
        Assert.Equal("cancelled", await _host.Probe.SlowEnded.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public Task GrpcJs_MetadataTextAndBinary_RoundTrip() => RunAsync("metadata");

    [Fact]
    public async Task GrpcJs_Gzip_BothDirections()
    {
        await using var gzipHost = await GrpcTestHost.StartAsync(o => o.ResponseCompressionAlgorithm = "gzip");
        await RunAsync("gzip", gzipHost);
        Assert.Equal("gzip", gzipHost.Probe.LastRequestEncoding);
    }

    [Fact]
    public Task GrpcJs_ErrorStatus_CodeAndUnicodeDetail() => RunAsync("error_status");

    [Fact]
    public Task GrpcJs_StreamError_MessagesThenStatus() => RunAsync("stream_error");

    [Fact]
    public Task GrpcJs_Unimplemented_MethodAndService() => RunAsync("unimplemented");

    [Fact]
    public Task GrpcJs_OversizedRequest_IsResourceExhausted() => RunAsync("resource_exhausted");

    [Fact]
    public Task GrpcJs_Health_CheckAndWatch() => RunAsync("health");
}
