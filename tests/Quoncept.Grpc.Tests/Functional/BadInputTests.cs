using System.Net;
using Google.Protobuf;
using Quoncept.Testing.V1;

namespace Quoncept.Grpc.Tests.Functional;

/// <summary>Every malformed request the issue lists gets the right answer, over real HTTP/2.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const string Echo = "/quoncept.testing.v1.TestService/UnaryEcho";
    private const string Bidi = "/quoncept.testing.v1.TestService/BidiEcho";
    private GrpcTestHost _host = null!;
    private readonly RawGrpcClient _raw = new();

    public async Task InitializeAsync() => _host = await GrpcTestHost.StartAsync(o => o.MaxReceiveMessageSize = 64 * 1024);

    public async Task DisposeAsync()
    {
        _raw.Dispose();
        await _host.DisposeAsync();
    }

    private static byte[] EchoFrame(string message = "hi") => RawGrpcClient.Frame(new EchoRequest { Message = message }.ToByteArray());

    [Fact]
    public async Task Call_WellFormed_IsOkInTrailers()
    {
        var response = await _raw.SendAsync(_host.Address, Echo, EchoFrame());
        Assert.Equal(200, response.HttpStatus);
        Assert.Equal("0", response.GrpcStatus);
        Assert.True(response.StatusInTrailers);
    }

    [Fact]
    public async Task Call_HandlerErrorBeforeAnyMessage_IsTrailersOnly()
    {
        var frame = RawGrpcClient.Frame(new EchoRequest { Status = new StatusRequest { Code = 5, Message = "gone" } }.ToByteArray());
        var response = await _raw.SendAsync(_host.Address, Echo, frame);
        Assert.Equal(200, response.HttpStatus);
        Assert.Equal("5", response.GrpcStatus);
        Assert.Equal("gone", response.GrpcMessage);
        Assert.False(response.StatusInTrailers);
        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task Call_ClientAcceptsGzip_ResponseMessageIsCompressed()
    {
        await using var gzipHost = await GrpcTestHost.StartAsync(o => o.ResponseCompressionAlgorithm = "gzip");
        var response = await _raw.SendAsync(gzipHost.Address, Echo, EchoFrame("compress me"), headers: ("grpc-accept-encoding", "identity,gzip"));
        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal(1, response.Body[0]);
        var payload = GzipCompression.Decompress(new System.Buffers.ReadOnlySequence<byte>(response.Body, 5, response.Body.Length - 5), 1 << 20);
        Assert.Equal("compress me", EchoResponse.Parser.ParseFrom(payload).Message);
    }

    [Fact]
    public async Task Call_ClientDoesNotAcceptGzip_ResponseIsUncompressed()
    {
        await using var gzipHost = await GrpcTestHost.StartAsync(o => o.ResponseCompressionAlgorithm = "gzip");
        var response = await _raw.SendAsync(gzipHost.Address, Echo, EchoFrame("plain"));
        Assert.Equal(0, response.Body[0]);
    }

    [Fact]
    public async Task Call_WrongContentType_IsHttp415()
    {
        var response = await _raw.SendAsync(_host.Address, Echo, EchoFrame(), contentType: "application/json");
        Assert.Equal(415, response.HttpStatus);
        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task Call_GrpcJsonContentType_IsHttp415()
    {
        var response = await _raw.SendAsync(_host.Address, Echo, EchoFrame(), contentType: "application/grpc+json");
        Assert.Equal(415, response.HttpStatus);
    }

    [Fact]
    public async Task Call_Http11OnCleartextHttp2Endpoint_IsRefusedWith400()
    {
        var response = await _raw.SendAsync(_host.Address, Echo, EchoFrame(), version: HttpVersion.Version11);
        Assert.Equal(400, response.HttpStatus);
    }

    [Fact]
    public async Task Call_Http11OverTls_IsHttp426()
    {
        using var certificate = GrpcTestHost.CreateSelfSignedCertificate();
        await using var tlsHost = await GrpcTestHost.StartAsync(certificate: certificate);
        using var raw = new RawGrpcClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        var response = await raw.SendAsync(tlsHost.Address, Echo, EchoFrame(), version: HttpVersion.Version11);
        Assert.Equal(426, response.HttpStatus);
        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task Call_UnknownService_IsUnimplementedTrailersOnly()
    {
        var response = await _raw.SendAsync(_host.Address, "/no.Such/Method", EchoFrame());
        Assert.Equal(200, response.HttpStatus);
        Assert.Equal("12", response.GrpcStatus);
        Assert.False(response.StatusInTrailers);
        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task Call_UnknownMethod_IsUnimplemented()
    {
        var response = await _raw.SendAsync(_host.Address, "/quoncept.testing.v1.TestService/Nope", EchoFrame());
        Assert.Equal("12", response.GrpcStatus);
        Assert.Contains("Nope", response.GrpcMessage);
    }

    [Fact]
    public async Task Call_TruncatedFrame_IsInternal()
    {
        var frame = RawGrpcClient.Frame([1, 2, 3], declaredLength: 10);
        var response = await _raw.SendAsync(_host.Address, Echo, frame);
        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("Incomplete", response.GrpcMessage);
    }

    [Fact]
    public async Task Call_TruncatedPrefix_IsInternal()
    {
        var response = await _raw.SendAsync(_host.Address, Echo, [0, 0, 0]);
        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task Call_CompressedFlagWithoutEncoding_IsInternal()
    {
        var frame = RawGrpcClient.Frame(new EchoRequest { Message = "x" }.ToByteArray(), flag: 1);
        var response = await _raw.SendAsync(_host.Address, Echo, frame);
        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("compressed flag", response.GrpcMessage);
    }

    [Fact]
    public async Task Call_InvalidCompressedFlagValue_IsInternal()
    {
        var frame = RawGrpcClient.Frame(new EchoRequest { Message = "x" }.ToByteArray(), flag: 7);
        var response = await _raw.SendAsync(_host.Address, Echo, frame);
        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task Call_ExtraMessageOnUnary_IsInternal()
    {
        var response = await _raw.SendAsync(_host.Address, Echo, [.. EchoFrame("a"), .. EchoFrame("b")]);
        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("second request message", response.GrpcMessage);
    }

    [Fact]
    public async Task Call_NoMessageOnUnary_IsInternal()
    {
        var response = await _raw.SendAsync(_host.Address, Echo, []);
        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task Call_InvalidProtobuf_IsInternal()
    {
        var response = await _raw.SendAsync(_host.Address, Echo, RawGrpcClient.Frame([0x0A, 0xFF, 0xFF]));
        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("deserialize", response.GrpcMessage);
    }

    [Fact]
    public async Task Call_OversizedMessage_IsResourceExhausted()
    {
        var big = new EchoRequest { Payload = ByteString.CopyFrom(new byte[100 * 1024]) }.ToByteArray();
        var response = await _raw.SendAsync(_host.Address, Echo, RawGrpcClient.Frame(big));
        Assert.Equal("8", response.GrpcStatus);
    }

    [Fact]
    public async Task Call_OversizedDeclaredLength_IsResourceExhaustedWithoutWaitingForBody()
    {
        var response = await _raw.SendAsync(_host.Address, Bidi, RawGrpcClient.Frame([1], declaredLength: int.MaxValue));
        Assert.Equal("8", response.GrpcStatus);
    }

    [Fact]
    public async Task Call_UnsupportedEncoding_IsUnimplementedWithAcceptEncoding()
    {
        var response = await _raw.SendAsync(_host.Address, Echo, EchoFrame(), headers: ("grpc-encoding", "snappy"));
        Assert.Equal("12", response.GrpcStatus);
        Assert.Equal("identity,gzip", response.AcceptEncoding);
    }

    [Fact]
    public async Task Call_InvalidGrpcTimeout_IsInternal()
    {
        var response = await _raw.SendAsync(_host.Address, Echo, EchoFrame(), headers: ("grpc-timeout", "10x"));
        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("grpc-timeout", response.GrpcMessage);
    }

    [Fact]
    public async Task Call_InvalidBinaryMetadata_IsInternal()
    {
        var response = await _raw.SendAsync(_host.Address, Echo, EchoFrame(), headers: ("x-data-bin", "@@not base64@@"));
        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task Call_GzipWithInvalidPayload_IsInternal()
    {
        var frame = RawGrpcClient.Frame([1, 2, 3, 4], flag: 1);
        var response = await _raw.SendAsync(_host.Address, Echo, frame, headers: ("grpc-encoding", "gzip"));
        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task Call_HandlerException_IsUnknownWithoutExceptionText()
    {
        var response = await _raw.SendAsync(_host.Address, Echo, EchoFrame("throw"));
        Assert.Equal("2", response.GrpcStatus);
        Assert.Equal("Exception was thrown by handler.", response.GrpcMessage);
    }

    [Fact]
    public async Task Call_HandlerExceptionWithDetailedErrors_CarriesExceptionText()
    {
        await using var detailed = await GrpcTestHost.StartAsync(o => o.EnableDetailedErrors = true);
        var response = await _raw.SendAsync(detailed.Address, Echo, EchoFrame("throw"));
        Assert.Equal("2", response.GrpcStatus);
        Assert.Contains("secret internal detail", response.GrpcMessage);
    }
}
